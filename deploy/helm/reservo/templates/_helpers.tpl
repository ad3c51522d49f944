{{- define "reservo.routes" -}}
{{- .Files.Get "files/routes.yaml" -}}
{{- end -}}

{{- define "reservo.labels" -}}
app.kubernetes.io/name: reservo
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end -}}

{{- define "reservo.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag }}
{{- end -}}

{{- define "reservo.env" -}}
envFrom:
  - configMapRef: { name: {{ .Release.Name }}-env }
  - secretRef: { name: {{ .Values.existingSecret }} }
{{- end -}}

{{/* Per service: the user service signs with the mounted keys, every other one verifies with its JWKS.
     Call with (dict "root" $ "service" "booking"). */}}
{{- define "reservo.auth" -}}
{{- $root := .root -}}
{{- if eq .service "user" }}
env:
  - { name: RESERVO_JWT_KEYS_DIR, value: /var/run/reservo/keys }
volumeMounts:
  - { name: signing-keys, mountPath: /var/run/reservo/keys, readOnly: true }
{{- else }}
{{- $routes := include "reservo.routes" $root | fromYaml }}
env:
  - name: RESERVO_JWKS_URL
    value: {{ $root.Values.jwksUrl | default (printf "http://user:%v/.well-known/jwks.json" $routes.services.user) | quote }}
{{- end }}
{{- end -}}

{{- define "reservo.keyVolume" -}}
{{- if eq .service "user" }}
volumes:
  - name: signing-keys
    secret: { secretName: {{ .root.Values.signingKeys.existingSecret }}, defaultMode: 0440 }
{{- end }}
{{- end -}}
