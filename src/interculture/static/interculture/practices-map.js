// The interactive map of practices: Leaflet over the bundled country outlines (no tile server),
// markers clustered by leaflet.markercluster, each place's popup linking to its fact sheets.
// Without JavaScript (and in print) the page shows the server-rendered map and the table.
(function () {
  "use strict";
  var element = document.getElementById("practice-map");
  var data = document.getElementById("practice-places");
  if (!element || !data || !window.L || !L.markerClusterGroup) {
    return;
  }
  var text = element.dataset;
  var places = JSON.parse(data.textContent);
  element.hidden = false;
  document.getElementById("map-help").hidden = false;
  document.body.classList.add("has-interactive-map");

  var map = L.map(element, { zoomControl: false, minZoom: 2, maxZoom: 11, worldCopyJump: true });
  L.control.zoom({ zoomInTitle: text.zoomIn, zoomOutTitle: text.zoomOut }).addTo(map);
  map.attributionControl.setPrefix('<a href="https://leafletjs.com/">Leaflet</a>');
  map.attributionControl.addAttribution(text.attribution);
  map.fitBounds([[34, -25], [72, 45]]); // Europe, as the server-rendered map

  fetch(text.basemap)
    .then(function (response) { return response.json(); })
    .then(function (countries) {
      L.geoJSON(countries, {
        interactive: false,
        style: { color: "#8a96a8", weight: 0.6, fillColor: "#f4f6f9", fillOpacity: 1 },
      }).addTo(map).bringToBack();
    });

  function hidden(words) {
    var span = document.createElement("span");
    span.className = "visually-hidden";
    span.textContent = words;
    return span.outerHTML;
  }

  function popup(place) {
    var box = document.createElement("div");
    var heading = document.createElement("p");
    var strong = document.createElement("strong");
    strong.textContent = place.place + ", " + place.country;
    heading.appendChild(strong);
    box.appendChild(heading);
    if (place.placement !== "city") {
      var note = document.createElement("p");
      note.textContent = place.placement === "region" ? text.approximateRegion : text.approximateCountry;
      box.appendChild(note);
    }
    var list = document.createElement("ul");
    place.practices.forEach(function (practice) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = practice.url;
      link.textContent = practice.title;
      item.appendChild(link);
      if (practice.place !== place.place) {
        item.appendChild(document.createTextNode(" (" + practice.place + ")"));
      }
      list.appendChild(item);
    });
    box.appendChild(list);
    return box;
  }

  var clusters = L.markerClusterGroup({
    showCoverageOnHover: false,
    maxClusterRadius: 40,
    iconCreateFunction: function (cluster) {
      var count = cluster.getAllChildMarkers().reduce(function (sum, m) { return sum + m.options.practiceCount; }, 0);
      var size = count < 10 ? 30 : count < 30 ? 38 : 46;
      return L.divIcon({
        className: "map-cluster",
        iconSize: [size, size],
        html: '<span aria-hidden="true">' + count + "</span>" + hidden(count + " " + text.group),
      });
    },
  });
  places.forEach(function (place) {
    var count = place.practices.length;
    var marker = L.marker([place.lat, place.lon], {
      keyboard: true,
      practiceCount: count,
      icon: L.divIcon({
        className: "map-marker" + (place.placement === "city" ? "" : " approximate"),
        iconSize: [16, 16],
        html: hidden(place.place + ", " + place.country + ": " + count + " " + (count === 1 ? text.practice : text.practices)),
      }),
    });
    marker.bindPopup(popup(place), { autoPanPadding: [20, 20] });
    clusters.addLayer(marker);
  });
  map.addLayer(clusters);

  var opener = null;
  map.on("popupopen", function (event) {
    opener = event.popup._source && event.popup._source.getElement();
    var container = event.popup.getElement();
    var close = container.querySelector(".leaflet-popup-close-button");
    if (close) {
      close.setAttribute("aria-label", text.close || close.getAttribute("aria-label"));
    }
    container.addEventListener("keydown", function (e) {
      if (e.key === "Escape") {
        map.closePopup();
      }
    });
    var first = container.querySelector(".leaflet-popup-content a");
    if (first) {
      first.focus();
    }
  });
  map.on("popupclose", function () {
    if (opener && document.body.contains(opener)) {
      opener.focus();
    }
    opener = null;
  });
  // Enter on a cluster zooms into it; the cluster's own button is gone, so the map keeps the focus.
  clusters.on("clusterclick", function () {
    map.once("zoomend", function () { element.focus(); });
  });
})();
