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
