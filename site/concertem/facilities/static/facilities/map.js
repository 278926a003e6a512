/* The facility map: province boundaries drawn from local GeoJSON (no tiles unless a tile
   server is configured), facilities clustered with leaflet.markercluster.
   Configuration and labels come from the page's <script type="application/json"> element
   (data, never executed): the site's CSP forbids inline script. */
(function () {
  "use strict";
  var configElement = document.getElementById("facility-map-config");
  var container = document.getElementById("facility-map");
  if (!configElement || !container || typeof L === "undefined") { return; }
  var config = JSON.parse(configElement.textContent);
  container.textContent = "";
  container.classList.add("facility-map--ready");

  // Without a tile layer Leaflet knows no zoom range, and the clusters need one.
  var map = L.map(container, { preferCanvas: true, zoomSnap: 0.25, minZoom: 7, maxZoom: 18 });
  map.setView([41.65, 1.95], 8.5);
  if (config.tilesUrl) {
    L.tileLayer(config.tilesUrl, { attribution: config.tilesAttribution, maxZoom: 19 }).addTo(map);
  }

  function loadJson(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok) { throw new Error(url + ": " + response.status); }
      return response.json();
    });
  }

  // Popups are built from text nodes: facility names come from open data and are never
  // interpreted as HTML.
  function popupContent(properties) {
    var box = document.createElement("div");
    var title = document.createElement("strong");
    title.textContent = properties.name;
    box.appendChild(title);
    var lines = [config.categories[properties.category] || properties.category,
                 properties.subcategory, properties.address];
    lines.forEach(function (text) {
      if (!text) { return; }
      box.appendChild(document.createElement("br"));
      box.appendChild(document.createTextNode(text));
    });
    return box;
  }

  var clusters = L.markerClusterGroup({
    showCoverageOnHover: false,
    maxClusterRadius: 50,
    iconCreateFunction: function (cluster) {
      var count = cluster.getChildCount();
      var size = count < 10 ? "small" : (count < 100 ? "medium" : "large");
      return L.divIcon({
        html: "<span>" + count + "</span>",
        className: "facility-cluster facility-cluster--" + size,
        iconSize: L.point(40, 40)
      });
    }
  });

  var boundaries = loadJson(config.boundariesUrl).then(function (collection) {
    var layer = L.geoJSON(collection, {
      interactive: false,
      style: { color: "#5b6570", weight: 0.6, fillColor: "#f4f5f7", fillOpacity: 1 }
    }).addTo(map);
    map.fitBounds(layer.getBounds());
    return layer;
  });

  var facilities = loadJson(config.dataUrl).then(function (collection) {
    var layer = L.geoJSON(collection, {
      pointToLayer: function (feature, latlng) {
        var properties = feature.properties;
        return L.marker(latlng, {
          title: properties.name,
          alt: properties.name,
          icon: L.divIcon({
            className: "facility-marker facility-marker--" + properties.category,
            iconSize: L.point(14, 14)
          })
        }).bindPopup(function () { return popupContent(properties); });
      }
    });
    clusters.addLayer(layer);
    map.addLayer(clusters);
    return { layer: layer, count: collection.features.length };
  });

  Promise.all([boundaries, facilities]).then(function (results) {
    var found = results[1];
    // With a filter on, frame the facilities rather than the whole province.
    if (found.count > 0 && /[?&](entity|category)=/.test(config.dataUrl)) {
      map.fitBounds(found.layer.getBounds(), { maxZoom: 14, padding: [20, 20] });
    }
    container.setAttribute("data-loaded", String(found.count));
  }).catch(function (error) {
    container.setAttribute("data-error", String(error));
  });
})();
