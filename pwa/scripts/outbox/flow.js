// Where to go next in a journey: server/journeys/steps.py in JavaScript (visible pages in
// order, then the contact page, then check-your-answers).
import { visiblePages } from '../forms/validate.js';
import { hasOwn } from '../forms/normalise.js';

export const CONTACT_PAGE = 'contact';
export const CHECK_PAGE = 'check';

export function steps(definition, answers) {
    return visiblePages(definition, answers).map((p) => p.id).concat([CONTACT_PAGE, CHECK_PAGE]);
}

export function nextStep(definition, pageId, draft, returning) {
    const all = steps(definition, draft.answers);
    if (returning) {
        for (const step of all) {
            if (step === CHECK_PAGE) break;
            if (step === CONTACT_PAGE) {
                if (draft.contact === null || draft.contact === undefined) return CONTACT_PAGE;
                continue;
            }
            const page = definition.pages.find((p) => p.id === step);
            if (page && !page.questions.some((q) => hasOwn(draft.answers, q.id))) return step;
        }
        return CHECK_PAGE;
    }
    const at = all.indexOf(pageId);
    return at >= 0 && at + 1 < all.length ? all[at + 1] : CHECK_PAGE;
}

// On a clean copy opened at its own address (/app/copies/<lang>/services/...: how /outbox
// reopens a queued request's answers while online, where the real address would give the
// server's draft), the journey carries on among the copies.
export function copyPrefix(path = location.pathname) {
    const found = /^\/app\/copies\/[a-z]{2}(?=\/services\/)/.exec(path);
    return found ? found[0] : '';
}

export function stepUrl(journey, step, change = false, prefix = copyPrefix()) {
    return `${prefix}/services/${encodeURIComponent(journey)}/${step}${change && step !== CHECK_PAGE ? '?change=1' : ''}`;
}
