// "Use my location" (and a map, when one is set up: map.js): an optional extra on pages
// that always have a typed address too. The block is hidden in the HTML and shown only
// where the browser can give a location or show the map.
import { initMap } from './map.js';

function setStatus(block, status, text) {
    status.textContent = text;
    status.focus();
    block.querySelector('[data-tb-clear-location]').hidden = !block.querySelector('input[name$="-lat"]').value;
}

function enhance(block) {
    const hasMap = !!block.querySelector('[data-tb-map]');
    if ((!('geolocation' in navigator) && !hasMap) || block.dataset.tbReady) {
        return;
    }
    block.dataset.tbReady = 'yes';
    block.hidden = false;
    const id = block.dataset.tbLocation;
    const lat = block.querySelector('#' + id + '-lat');
    const lng = block.querySelector('#' + id + '-lng');
    const status = block.querySelector('#' + id);
    if (hasMap) {
        initMap(block, lat, lng, () => setStatus(block, status, status.dataset.pinned)).catch(() => {});
    }
    const useLocation = block.querySelector('[data-tb-use-location]');
    useLocation.hidden = !('geolocation' in navigator);
    useLocation.addEventListener('click', () => {
        navigator.geolocation.getCurrentPosition((position) => {
            lat.value = position.coords.latitude.toFixed(6);
            lng.value = position.coords.longitude.toFixed(6);
            if (block.tbMap) block.tbMap.setView([position.coords.latitude, position.coords.longitude], 17);
            setStatus(block, status, status.dataset.saved);
        }, () => {
            setStatus(block, status, status.dataset.failed);
        }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
    });
    block.querySelector('[data-tb-clear-location]').addEventListener('click', () => {
        lat.value = '';
        lng.value = '';
        setStatus(block, status, '');
    });
}

export function initLocation(scope) {
    [].slice.call(scope.querySelectorAll('[data-tb-location]')).forEach(enhance);
}
