// Photos in the browser, so the wasm carries no image codec or SHA-256 (src/photos/js.rs
// binds these). Loaded as a module file, never inline: the server's CSP allows no inline
// script. Re-encoding through a canvas drops every EXIF tag (location included): the
// stored photo holds pixels only.

const FULL = 1600, THUMB = 320, QUALITY = 0.8;

async function encode(bitmap, side) {
  const k = Math.min(1, side / Math.max(bitmap.width, bitmap.height));
  const w = Math.max(1, Math.round(bitmap.width * k)), h = Math.max(1, Math.round(bitmap.height * k));
  const c = document.createElement('canvas');
  c.width = w; c.height = h;
  c.getContext('2d').drawImage(bitmap, 0, 0, w, h);
  const blob = await new Promise((ok, no) => c.toBlob(b => (b ? ok(b) : no(new Error('encode'))), 'image/jpeg', QUALITY));
  return blob;
}

// Lowercase hex SHA-256 of a blob's bytes (crypto.subtle: https or localhost only).
export async function photoHash(blob) {
  const d = new Uint8Array(await crypto.subtle.digest('SHA-256', await blob.arrayBuffer()));
  return Array.from(d, b => b.toString(16).padStart(2, '0')).join('');
}

// A chosen file as the phone keeps it: {hash, thumb, blob, thumbBlob}.
export async function photoPrepare(file) {
  const bitmap = await createImageBitmap(file);
  const blob = await encode(bitmap, FULL), thumbBlob = await encode(bitmap, THUMB);
  bitmap.close();
  return { hash: await photoHash(blob), thumb: await photoHash(thumbBlob), blob, thumbBlob };
}

// The row the photos store keeps (the Blob is stored natively by IndexedDB).
export function photoRow(hash, blob, kind, pending) {
  return { hash, blob, type: blob.type || 'image/jpeg', bytes: blob.size, kind, pending };
}

function call(method, token, hash, body, type) {
  const headers = { authorization: 'Bearer ' + token };
  if (type) headers['content-type'] = type;
  return fetch('/api/v1/photos/' + hash, { method, headers, body, cache: 'no-store' });
}

// The HTTP status of HEAD, or 0 when the network failed.
export async function photoHead(token, hash) {
  try { return (await call('HEAD', token, hash)).status; } catch (e) { return 0; }
}

// [status, body text] of the PUT; [0, ''] when the network failed.
export async function photoPut(token, hash, blob) {
  try {
    const r = await call('PUT', token, hash, blob, blob.type || 'image/jpeg');
    return [r.status, r.ok ? '' : await r.text()];
  } catch (e) { return [0, '']; }
}

// The photo's bytes as a Blob, or its HTTP status (0: no network).
export async function photoGet(token, hash) {
  try {
    const r = await call('GET', token, hash);
    return r.ok ? await r.blob() : r.status;
  } catch (e) { return 0; }
}

// Whether photos may go now: "Wi-Fi only" is honoured where the browser tells the link
// type (Network Information API); elsewhere they always go.
export function photoLinkAllowed(wifiOnly) {
  const t = navigator.connection && navigator.connection.type;
  return !wifiOnly || !t || t === 'wifi' || t === 'ethernet';
}

// Whether the phone is short of space: under 10% or 50 MB of its quota left.
export async function photoStorageLow() {
  try {
    const { usage, quota } = await navigator.storage.estimate();
    const free = quota - usage;
    return free < 50 * 1024 * 1024 || free < quota * 0.1;
  } catch (e) { return false; }
}
