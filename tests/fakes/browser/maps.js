// A local fake of the Maps JavaScript API (https://maps.googleapis.com/maps/api/js?key=…&loading=async
// &callback=…) for browser tests, with the documented shapes the dashboard uses:
// `google.maps.importLibrary("maps")` → {Map}, `importLibrary("marker")` → {AdvancedMarkerElement};
// `new Map(el, {center, zoom, mapId})`, `map.addListener("click", e => e.latLng.lat()/lng())`,
// `map.panTo(latLng)`, `new AdvancedMarkerElement({map, position, gmpDraggable, title})` with a
// `position` property and `addListener("dragend", fn)`. The map is a plain box with a linear
// projection around its center (1 px = 0.001°), so a click or drag lands on computable coordinates.
(function () {
  var src = new URL(document.currentScript.src);
  if (!src.searchParams.get("key")) throw new Error("fake Maps API: key is required");
  var SCALE = 0.001;

  function LatLng(lat, lng) { this._lat = lat; this._lng = lng; }
  LatLng.prototype.lat = function () { return this._lat; };
  LatLng.prototype.lng = function () { return this._lng; };
  LatLng.prototype.toJSON = function () { return { lat: this._lat, lng: this._lng }; };
  var literal = function (p) { return typeof p.lat === "function" ? { lat: p.lat(), lng: p.lng() } : { lat: p.lat, lng: p.lng }; };

  function listeners() {
    var all = {};
    return {
      add: function (name, fn) { (all[name] = all[name] || []).push(fn); return { remove: function () { all[name] = all[name].filter(function (f) { return f !== fn; }); } }; },
      fire: function (name, event) { (all[name] || []).forEach(function (fn) { fn(event); }); },
    };
  }

  function Map(el, options) {
    var events = listeners();
    this._el = el;
    this._center = literal(options.center);
    this._events = events;
    el.textContent = "";
    el.style.position = "relative";
    el.style.overflow = "hidden";
    el.style.background = "repeating-linear-gradient(45deg,#e8f0e0,#e8f0e0 10px,#dfe9d6 10px,#dfe9d6 20px)";
    var surface = document.createElement("div");
    surface.setAttribute("role", "application");
    surface.setAttribute("aria-label", "Map (test)");
    surface.style.cssText = "position:absolute;inset:0";
    el.appendChild(surface);
    this._surface = surface;
    var self = this;
    surface.addEventListener("click", function (e) {
      if (self._dragged) { self._dragged = false; return; }
      events.fire("click", { latLng: self._at(e.clientX, e.clientY) });
    });
  }
  Map.prototype._at = function (x, y) {
    var box = this._el.getBoundingClientRect();
    var dx = x - (box.left + box.width / 2), dy = y - (box.top + box.height / 2);
    return new LatLng(+(this._center.lat - dy * SCALE).toFixed(6), +(this._center.lng + dx * SCALE).toFixed(6));
  };
  Map.prototype._pixel = function (p) {
    var ll = literal(p);
    return { x: this._el.clientWidth / 2 + (ll.lng - this._center.lng) / SCALE, y: this._el.clientHeight / 2 - (ll.lat - this._center.lat) / SCALE };
  };
  Map.prototype.addListener = function (name, fn) { return this._events.add(name, fn); };
  Map.prototype.panTo = function () {};
  Map.prototype.getCenter = function () { return new LatLng(this._center.lat, this._center.lng); };

  function AdvancedMarkerElement(options) {
    var events = listeners();
    var map = options.map;
    var pin = document.createElement("div");
    pin.setAttribute("role", "img");
    pin.setAttribute("aria-label", options.title || "Marker");
    pin.style.cssText = "position:absolute;width:16px;height:16px;margin:-16px 0 0 -8px;border-radius:50% 50% 50% 0;background:#c5221f;transform:rotate(-45deg);cursor:grab";
    map._el.appendChild(pin);
    var self = this;
    var place = function () { var px = map._pixel(self.position); pin.style.left = px.x + "px"; pin.style.top = px.y + "px"; };
    Object.defineProperty(this, "position", {
      get: function () { return this._position; },
      set: function (p) { this._position = p ? literal(p) : null; if (this._position) place(); },
    });
    this.map = map;
    this.title = options.title || "";
    this.gmpDraggable = !!options.gmpDraggable;
    this.element = pin;
    this.addListener = events.add;
    this.position = options.position;
    pin.addEventListener("mousedown", function (down) {
      if (!self.gmpDraggable) return;
      down.preventDefault();
      var move = function (e) { self.position = map._at(e.clientX, e.clientY); };
      var up = function (e) {
        document.removeEventListener("mousemove", move);
        document.removeEventListener("mouseup", up);
        self.position = map._at(e.clientX, e.clientY);
        map._dragged = true;
        setTimeout(function () { map._dragged = false; }, 0);
        events.fire("dragend", { latLng: new LatLng(self.position.lat, self.position.lng) });
      };
      document.addEventListener("mousemove", move);
      document.addEventListener("mouseup", up);
    });
  }

  var libraries = { core: { LatLng: LatLng }, maps: { Map: Map }, marker: { AdvancedMarkerElement: AdvancedMarkerElement } };
  window.google = window.google || {};
  window.google.maps = {
    LatLng: LatLng,
    Map: Map,
    marker: libraries.marker,
    importLibrary: function (name) {
      return libraries[name] ? Promise.resolve(libraries[name]) : Promise.reject(new Error("fake Maps API: no library " + name));
    },
  };
  var callback = src.searchParams.get("callback");
  if (callback && typeof window[callback] === "function") setTimeout(function () { window[callback](); }, 0);
})();
