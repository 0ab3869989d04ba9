// The map of recent posts: Leaflet over country outlines shipped with the site (no tile server
// needed), or over tiles when the site sets one. The list under the map is the same content
// and the whole page without JavaScript.
(function () {
  "use strict";
  var box = document.getElementById("map");
  if (!box || !window.L || !window.topojson) return;
  box.hidden = false;
  var map = L.map(box, { worldCopyJump: true, minZoom: 2 }).setView([30, 20], 2);
  if (box.dataset.tiles) {
    L.tileLayer(box.dataset.tiles, { attribution: box.dataset.attribution || "", maxZoom: 12 }).addTo(map);
  } else {
    map.setMaxZoom(8);
    fetch(box.dataset.outlines).then(function (r) { return r.json(); }).then(function (world) {
      var land = topojson.feature(world, world.objects.countries);
      L.geoJSON(land, { style: { color: "#8c8577", weight: 0.7, fillColor: "#efe9dc", fillOpacity: 1 },
                        interactive: false }).addTo(map);
    });
  }
  function text(tag, value) { var el = document.createElement(tag); el.textContent = value; return el; }
  fetch(box.dataset.geojson).then(function (r) { return r.json(); }).then(function (data) {
    var bounds = [];
    data.features.forEach(function (feature) {
      var p = feature.properties;
      var ll = [feature.geometry.coordinates[1], feature.geometry.coordinates[0]];
      bounds.push(ll);
      var popup = document.createElement("div");
      var title = document.createElement("a");
      title.href = p.place_url; title.textContent = p.place;
      popup.appendChild(title);
      var list = document.createElement("ul");
      p.posts.forEach(function (post) {
        var item = document.createElement("li"), link = text("a", post.headline);
        link.href = post.url; item.appendChild(link); list.appendChild(item);
      });
      popup.appendChild(list);
      L.circleMarker(ll, { radius: 5 + Math.min(10, 2 * p.posts.length), color: "#8a1c1c",
                           weight: 2, fillColor: "#c0392b", fillOpacity: 0.7 })
        .bindPopup(popup).bindTooltip(p.place + " (" + p.posts.length + ")").addTo(map);
    });
    if (bounds.length) map.fitBounds(bounds, { padding: [30, 30], maxZoom: 4, animate: false });
  });
})();
