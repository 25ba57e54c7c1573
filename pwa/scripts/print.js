// The "Print" button on a request's copy of what was sent (templates/requests/sent.html):
// hidden until this script shows it, since it needs JavaScript; without it the
// browser's own Print gives the same page (the print stylesheet is in _requests.scss).

export function initPrint(root) {
    root.querySelectorAll('[data-tb-print][hidden]').forEach((button) => {
        button.hidden = false;
        button.addEventListener('click', () => window.print());
    });
}
