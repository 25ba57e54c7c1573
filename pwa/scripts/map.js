// A map for a location question, when the council has a tile service
// (TOLBOOTH_MAP_TILE_URL): Leaflet, loaded only on such pages. The chosen place is the
// point under the pin at the map's centre, so a keyboard does everything a pointer does:
// the arrow keys move the map, + and − zoom, and "Use the place under the pin" records it.
// The typed address on the same page is always the other way (issue 15).
let leaflet = null;

function loadLeaflet(holder) {
    if (window.L) return Promise.resolve(window.L);
    if (!leaflet) {
        leaflet = new Promise((resolve, reject) => {
            const css = document.createElement('link');
            css.rel = 'stylesheet';
            css.href = holder.dataset.leafletCss;
            document.head.append(css);
            const script = document.createElement('script');
            script.src = holder.dataset.leafletJs;
            script.onload = () => resolve(window.L);
            script.onerror = () => { leaflet = null; reject(new Error('Leaflet did not load')); };
            document.head.append(script);
        });
    }
    return leaflet;
}

export function initMap(block, lat, lng, onPinned) {
    const holder = block.querySelector('[data-tb-map]');
    if (!holder || holder.dataset.tbReady) return null;
    holder.dataset.tbReady = 'yes';
    return loadLeaflet(holder).then((L) => {
        holder.hidden = false;
        const [centreLat, centreLng] = holder.dataset.centre.split(',').map(Number);
        const start = lat.value && lng.value ? [Number(lat.value), Number(lng.value)] : [centreLat, centreLng];
        const map = L.map(holder, {
            keyboard: true, zoomControl: false, attributionControl: true,
        }).setView(start, lat.value ? 17 : 13);
        L.control.zoom({ zoomInTitle: holder.dataset.zoomIn, zoomOutTitle: holder.dataset.zoomOut }).addTo(map);
        map.attributionControl.setPrefix(false);
        L.tileLayer(holder.dataset.tiles, { maxZoom: 19 }).addTo(map);
        if (holder.dataset.attribution) map.attributionControl.addAttribution(holder.dataset.attribution.replace(/[<>&]/g, ''));
        const container = map.getContainer();
        container.setAttribute('role', 'application');
        container.setAttribute('aria-label', holder.dataset.label);
        container.setAttribute('aria-roledescription', 'map');
        const pin = document.createElement('div');
        pin.className = 'tb-map__pin';
        pin.setAttribute('aria-hidden', 'true');
        container.append(pin);
        const use = block.querySelector('[data-tb-use-pin]');
        use.hidden = false;
        use.addEventListener('click', () => {
            const centre = map.getCenter();
            lat.value = centre.lat.toFixed(6);
            lng.value = centre.lng.toFixed(6);
            onPinned();
        });
        block.tbMap = map;
        return map;
    });
}
