// The offline receipt's QR code, made in the browser (the server makes the online one
// with segno): the tracking page with the local receipt code filled in.
import qrcode from 'qrcode-generator';

export function trackingUrl(trackBase, code) {
    return `${trackBase}?${new URLSearchParams({ reference: code })}`;
}

/** An <svg> element for `text`, error correction M, a 4-module quiet zone. */
export function qrSvg(text) {
    const code = qrcode(0, 'M');
    code.addData(text, 'Byte');
    code.make();
    const count = code.getModuleCount();
    const size = count + 8;
    let path = '';
    for (let row = 0; row < count; row += 1) {
        for (let col = 0; col < count; col += 1) {
            if (code.isDark(row, col)) path += `M${col + 4} ${row + 4}h1v1h-1z`;
        }
    }
    const ns = 'http://www.w3.org/2000/svg';
    const svg = document.createElementNS(ns, 'svg');
    svg.setAttribute('viewBox', `0 0 ${size} ${size}`);
    svg.setAttribute('class', 'tb-receipt__qr');
    svg.setAttribute('aria-hidden', 'true');
    const shape = document.createElementNS(ns, 'path');
    shape.setAttribute('d', path);
    svg.append(shape);
    return svg;
}
