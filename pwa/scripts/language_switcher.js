// The language links carry ?next=<this page> so choosing a language keeps the person where
// they are. The header sits outside the block htmx swaps, so after a swap (or a history
// restore) the links would still point at the previous page: point them at the new one.

const LINKS = '.tb-language-switcher a.tb-language-switcher__link';

function pointLinksHere() {
    const here = window.location.pathname + window.location.search;
    document.querySelectorAll(LINKS).forEach((link) => {
        const url = new URL(link.getAttribute('href'), window.location.href);
        if (url.searchParams.get('next') === here) {
            return;
        }
        url.searchParams.set('next', here);
        link.setAttribute('href', url.pathname + url.search);
    });
}

export function keepLanguageLinksCurrent() {
    // Also now: the service worker may answer a page it has not kept with the offline
    // page, whose links were made for /offline.
    pointLinksHere();
    document.addEventListener('htmx:afterSettle', pointLinksHere);
    document.addEventListener('htmx:historyRestore', pointLinksHere);
    window.addEventListener('popstate', pointLinksHere);
}
