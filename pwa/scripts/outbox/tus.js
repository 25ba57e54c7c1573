// A small tus 1.0 client (core, creation, checksum): create the upload, ask the server
// for its offset, send the rest in chunks, each with a SHA-1 checksum. An interrupted
// upload resumes from the offset the server reports, never from what we think we sent.
const TUS = '1.0.0';
const CHUNK = 512 * 1024;

function base64(text) {
    return btoa(String.fromCharCode(...new TextEncoder().encode(text)));
}

function base64Bytes(buffer) {
    let binary = '';
    for (const byte of new Uint8Array(buffer)) binary += String.fromCharCode(byte);
    return btoa(binary);
}

async function tusFetch(url, method, token, headers = {}, body = undefined) {
    try {
        return await fetch(url, {
            method, body, credentials: 'omit', cache: 'no-store',
            headers: { 'Tus-Resumable': TUS, Authorization: `Bearer ${token}`, ...headers },
        });
    } catch (error) {
        return null;
    }
}

async function create(origin, token, requestId, attachment) {
    const metadata = [
        ['attachment_id', attachment.id], ['request_id', requestId],
        ['filename', attachment.filename || 'file'], ['filetype', attachment.media_type],
    ].map(([key, value]) => `${key} ${base64(value)}`).join(',');
    const response = await tusFetch(`${origin}/sync/v1/uploads`, 'POST', token, {
        'Upload-Length': String(attachment.blob.size), 'Upload-Metadata': metadata,
    });
    if (!response) return { status: 0 };
    if (response.status !== 201) return { status: response.status };
    return { status: 201, url: new URL(response.headers.get('Location'), origin).href };
}

async function offsetOf(url, token) {
    const response = await tusFetch(url, 'HEAD', token);
    if (!response) return { status: 0 };
    return { status: response.status, offset: Number(response.headers.get('Upload-Offset')) };
}

/**
 * Uploads attachment.blob. Returns {done, status, url}: `url` is kept by the caller so a
 * later call resumes the same upload. 404/410 on the stored url (expired) starts again.
 */
export async function uploadAttachment(origin, token, requestId, attachment, onUrl = () => {}) {
    let url = attachment.upload_url;
    let offset = 0;
    if (url) {
        const head = await offsetOf(url, token);
        if (head.status === 404 || head.status === 410) url = null;
        else if (head.status !== 200 && head.status !== 204) return { done: false, status: head.status, url };
        else offset = head.offset;
    }
    if (!url) {
        const created = await create(origin, token, requestId, attachment);
        if (created.status !== 201) return { done: false, status: created.status, url: null };
        url = created.url;
        await onUrl(url);
    }
    const size = attachment.blob.size;
    while (offset < size) {
        const chunk = await attachment.blob.slice(offset, offset + CHUNK).arrayBuffer();
        const checksum = base64Bytes(await crypto.subtle.digest('SHA-1', chunk));
        const response = await tusFetch(url, 'PATCH', token, {
            'Content-Type': 'application/offset+octet-stream', 'Upload-Offset': String(offset),
            'Upload-Checksum': `sha1 ${checksum}`,
        }, chunk);
        if (!response) return { done: false, status: 0, url };
        if (response.status === 409 || response.status === 460) {
            // Offsets disagree or the chunk arrived damaged: ask the server where it is.
            const head = await offsetOf(url, token);
            if (head.status !== 200 && head.status !== 204) return { done: false, status: head.status, url };
            offset = head.offset;
            continue;
        }
        if (response.status !== 204) return { done: false, status: response.status, url };
        offset = Number(response.headers.get('Upload-Offset'));
    }
    return { done: true, status: 204, url };
}
