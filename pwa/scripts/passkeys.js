// Passkeys: create one (enrolment from an invite, or from "Your passkeys") and sign in
// with one. The server sends py_webauthn's options as base64url JSON and verifies what
// comes back; this file only converts between that JSON and the browser's ArrayBuffers.
// Markup: templates/auth/passkey_form.html and auth/sign_in.html (data-tb-passkey).

function toBuffer(base64url) {
    const base64 = base64url.replace(/-/g, '+').replace(/_/g, '/');
    const padded = base64 + '='.repeat((4 - (base64.length % 4)) % 4);
    const binary = atob(padded);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i += 1) {
        bytes[i] = binary.charCodeAt(i);
    }
    return bytes.buffer;
}

function toBase64url(buffer) {
    const bytes = new Uint8Array(buffer);
    let binary = '';
    for (let i = 0; i < bytes.length; i += 1) {
        binary += String.fromCharCode(bytes[i]);
    }
    return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function descriptors(list) {
    return (list || []).map((item) => Object.assign({}, item, { id: toBuffer(item.id) }));
}

function creationOptions(json) {
    return Object.assign({}, json, {
        challenge: toBuffer(json.challenge),
        user: Object.assign({}, json.user, { id: toBuffer(json.user.id) }),
        excludeCredentials: descriptors(json.excludeCredentials),
    });
}

function requestOptions(json) {
    return Object.assign({}, json, {
        challenge: toBuffer(json.challenge),
        allowCredentials: descriptors(json.allowCredentials),
    });
}

function credentialJSON(credential) {
    const response = credential.response;
    const out = {
        id: credential.id,
        rawId: toBase64url(credential.rawId),
        type: credential.type,
        authenticatorAttachment: credential.authenticatorAttachment || undefined,
        clientExtensionResults: credential.getClientExtensionResults(),
        response: { clientDataJSON: toBase64url(response.clientDataJSON) },
    };
    if (response.attestationObject) {
        out.response.attestationObject = toBase64url(response.attestationObject);
        out.response.transports = response.getTransports ? response.getTransports() : [];
    } else {
        out.response.authenticatorData = toBase64url(response.authenticatorData);
        out.response.signature = toBase64url(response.signature);
        if (response.userHandle) {
            out.response.userHandle = toBase64url(response.userHandle);
        }
    }
    return out;
}

class ServerRefused extends Error {}

async function post(container, url, body) {
    const response = await fetch(url, {
        method: 'POST',
        credentials: 'same-origin',
        headers: {
            'Content-Type': 'application/json',
            Accept: 'application/json',
            'X-CSRF-Token': container.dataset.csrf,
        },
        body: JSON.stringify(body),
    });
    const data = await response.json().catch(() => ({}));
    if (!response.ok) {
        const text = [data.title, data.message].filter(Boolean).join('. ');
        throw new ServerRefused(text || container.dataset.messageFailed);
    }
    return data;
}

function say(container, text) {
    const message = container.querySelector('[data-tb-passkey-message]');
    if (message) {
        message.textContent = text || '';
    }
}

function explain(container, error) {
    if (error instanceof ServerRefused) {
        return error.message;
    }
    if (error && (error.name === 'NotAllowedError' || error.name === 'AbortError')) {
        return container.dataset.messageCancelled;
    }
    return container.dataset.messageFailed;
}

async function register(container) {
    const purpose = container.dataset.tbPasskey;
    const nameField = container.querySelector('[data-tb-passkey-name]');
    const options = await post(container, '/auth/passkeys/register/options', { purpose });
    const credential = await navigator.credentials.create({ publicKey: creationOptions(options) });
    return post(container, '/auth/passkeys/register/verify', {
        purpose,
        name: nameField ? nameField.value : '',
        credential: credentialJSON(credential),
    });
}

async function authenticate(container, mediation, signal) {
    const options = await post(container, '/auth/passkeys/authenticate/options', {});
    const request = { publicKey: requestOptions(options) };
    if (mediation) {
        request.mediation = mediation;
    }
    if (signal) {
        request.signal = signal;
    }
    const credential = await navigator.credentials.get(request);
    return post(container, '/auth/passkeys/authenticate/verify', { credential: credentialJSON(credential) });
}

// Conditional mediation: the browser offers saved passkeys in the email field's
// autofill. A button press cancels it and asks directly.
let conditional = null;

async function startConditional(container) {
    if (!window.PublicKeyCredential || !PublicKeyCredential.isConditionalMediationAvailable) {
        return;
    }
    if (!(await PublicKeyCredential.isConditionalMediationAvailable())) {
        return;
    }
    conditional = new AbortController();
    try {
        const result = await authenticate(container, 'conditional', conditional.signal);
        window.location.assign(result.redirect);
    } catch (error) {
        if (error && error.name !== 'AbortError') {
            say(container, explain(container, error));
        }
    }
}

function initContainer(container) {
    const button = container.querySelector('[data-tb-passkey-start]');
    if (!button || container.hasAttribute('data-tb-ready')) {
        return;
    }
    container.setAttribute('data-tb-ready', '');
    if (!window.PublicKeyCredential || !navigator.credentials) {
        say(container, container.dataset.messageUnsupported);
        button.disabled = true;
        return;
    }
    const signingIn = container.dataset.tbPasskey === 'sign-in';
    button.addEventListener('click', async () => {
        if (conditional) {
            conditional.abort();
            conditional = null;
        }
        button.disabled = true;
        say(container, container.dataset.messageWorking);
        try {
            const result = signingIn ? await authenticate(container) : await register(container);
            // data-tb-redirect: a page that asked to sign in again (a fresh session, as
            // /kiosk/enrol needs) goes back there, not to the usual landing page.
            window.location.assign(container.dataset.tbRedirect || result.redirect);
        } catch (error) {
            say(container, explain(container, error));
            button.disabled = false;
        }
    });
    // Signing in again to confirm it is you (data-tb-redirect) takes a deliberate press:
    // no autofill offer that would sign in in the background.
    if (signingIn && !container.dataset.tbRedirect) {
        startConditional(container);
    }
}

export function initPasskeys(root) {
    const scope = root || document;
    scope.querySelectorAll('[data-tb-passkey]').forEach(initContainer);
}
