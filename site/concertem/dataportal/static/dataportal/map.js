/* Choropleth maps of the province, drawn with the vendored Leaflet.
 *
 * Markup: <div class="js-choropleth" data-boundaries="URL" data-values="ELEMENT_ID"
 *   data-link="/ca/municipis/{code}/" data-unit="€/hab." data-tiles="" data-label="...">
 * The values element is a <script type="application/json"> holding
 * {"08019": {"value": 12.3, "name": "Barcelona"}, ...}. Without tile URL the map
 * draws only the boundaries, so it works with no internet. The same numbers are
 * always in a table next to the map: the map is an extra, not the only way in.
 * A categorical indicator adds data-categories="ELEMENT_ID": a JSON list of its category
 * labels in declared order (an ordinal's scale, lowest first); its values are then
 * {"08019": {"category": "Alta", "rank": 2}} and the legend lists the labels in that order.
 */
(function () {
  "use strict";
  var COLOURS = ["#fde0dd", "#fcc5c0", "#fa9fb5", "#f768a1", "#dd3497", "#ae017e", "#7a0177"];

  function breaks(values, classes) {
    var sorted = values.slice().sort(function (a, b) { return a - b; });
    var result = [];
    for (var i = 1; i < classes; i++) {
      result.push(sorted[Math.floor((sorted.length - 1) * i / classes)]);
    }
    return result;
  }

  function colourFor(value, limits) {
    if (value === null || value === undefined || isNaN(value)) { return "#e0e0e0"; }
    var index = 0;
    while (index < limits.length && value > limits[index]) { index++; }
    return COLOURS[Math.min(index, COLOURS.length - 1)];
  }

  // The site's one number format: ca and es write 1.234,56 (Intl's "es" would not group
  // four digits), en writes 1,234.56. Decimals as the page says (data-places).
  var LOCALES = { ca: "ca", es: "ca", en: "en" };
  var places = 2;
  function format(value) {
    return Number(value).toLocaleString(LOCALES[document.documentElement.lang] || "ca", {
      minimumFractionDigits: places, maximumFractionDigits: places, useGrouping: true
    });
  }

  // The colour of a category: its place in the declared order spread over the palette.
  function categoryColourIndex(rank, count) {
    return count < 2 ? 3 : Math.round(rank * (COLOURS.length - 1) / (count - 1));
  }

  function categoryLegend(element, labels) {
    var legend = L.control({ position: "bottomright" });
    legend.onAdd = function () {
      var box = L.DomUtil.create("div", "map-legend");
      box.appendChild(document.createTextNode(element.dataset.label || ""));
      labels.forEach(function (label, rank) {
        box.appendChild(document.createElement("br"));
        var swatch = L.DomUtil.create("span", "map-legend__swatch map-legend__swatch--" + categoryColourIndex(rank, labels.length), box);
        swatch.setAttribute("aria-hidden", "true");
        box.appendChild(document.createTextNode(label));  // editors' text: never as HTML
      });
      return box;
    };
    return legend;
  }

  function draw(element) {
    var values = JSON.parse(document.getElementById(element.dataset.values).textContent);
    var labels = element.dataset.categories ? JSON.parse(document.getElementById(element.dataset.categories).textContent) : null;
    var numbers = Object.keys(values).map(function (code) { return values[code].value; })
      .filter(function (v) { return v !== null && !isNaN(v); });
    var limits = breaks(numbers, COLOURS.length);
    places = element.dataset.places !== undefined ? Number(element.dataset.places) : 2;
    // A filtered page names the municipalities it shows: the map zooms to them.
    var focus = (element.dataset.focus || "").split(/\s+/).filter(Boolean);
    var map = L.map(element, { scrollWheelZoom: false, attributionControl: true });
    if (element.dataset.tiles) {
      L.tileLayer(element.dataset.tiles, { maxZoom: 16, attribution: element.dataset.tilesAttribution || "" }).addTo(map);
    }
    fetch(element.dataset.boundaries).then(function (response) { return response.json(); }).then(function (geojson) {
      var layer = L.geoJSON(geojson, {
        style: function (feature) {
          var item = values[feature.properties.entity_code];
          var fill = labels ? (item ? COLOURS[categoryColourIndex(item.rank, labels.length)] : "#e0e0e0") : colourFor(item ? item.value : null, limits);
          return { color: "#555", weight: 0.6, fillOpacity: 0.85, fillColor: fill };
        },
        onEachFeature: function (feature, shape) {
          var code = feature.properties.entity_code;
          var item = values[code];
          var text = feature.properties.name;
          if (labels) {
            text += item ? ": " + item.category : "";
          } else if (item && item.value !== null) {
            text += ": " + format(item.value) + " " + (element.dataset.unit || "");
          }
          var tip = document.createElement("span");
          tip.textContent = text;  // names and labels are data, never HTML
          shape.bindTooltip(tip, { sticky: true });
          if (element.dataset.link) {
            shape.on("click", function () { window.location.href = element.dataset.link.replace("{code}", code); });
          }
        }
      }).addTo(map);
      var focused = [];
      if (focus.length) {
        layer.eachLayer(function (shape) {
          if (focus.indexOf(shape.feature.properties.entity_code) !== -1) {
            shape.setStyle({ color: "#1b1f24", weight: 2.5 });
            shape.bringToFront();
            focused.push(shape);
          }
        });
      }
      map.fitBounds(focused.length ? L.featureGroup(focused).getBounds() : layer.getBounds(), { maxZoom: 12 });
      if (labels) {
        categoryLegend(element, labels).addTo(map);
        return;
      }
      var legend = L.control({ position: "bottomright" });
      legend.onAdd = function () {
        var box = L.DomUtil.create("div", "map-legend");
        var rows = [element.dataset.label || ""];
        var lower = Math.min.apply(null, numbers);
        for (var i = 0; i < COLOURS.length; i++) {
          var upper = i < limits.length ? limits[i] : Math.max.apply(null, numbers);
          rows.push('<span class="map-legend__swatch map-legend__swatch--' + i + '"></span>' + format(lower) + " – " + format(upper));
          lower = upper;
        }
        box.innerHTML = rows.join("<br>");
        return box;
      };
      legend.addTo(map);
    });
  }

  document.querySelectorAll(".js-choropleth").forEach(draw);
})();
