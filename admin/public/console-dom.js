/* Small DOM helpers for the console. Server data only ever becomes text nodes or attribute
 * values (never markup), so a citizen's "<script>" stays visible text. */
/* global Node, SVGElement */

const SVG_NS = 'http://www.w3.org/2000/svg';

/**
 * Builds an element. `attrs` keys: `class`, `text` (textContent), `on<Event>` (listener),
 * `hidden`/`disabled`/`checked`/`selected` (booleans), `dataset` (object), anything else
 * is set with setAttribute. Children may be nodes, strings (text nodes), arrays, null.
 * @example h('button', { type: 'button', onClick: save }, t('save'))
 */
export function h(tag, attrs, ...children) {
  return build(document.createElement(tag), attrs, children);
}

/** Same as `h` for SVG elements (charts). */
export function s(tag, attrs, ...children) {
  return build(document.createElementNS(SVG_NS, tag), attrs, children);
}

const BOOLEAN_PROPS = new Set(['hidden', 'disabled', 'checked', 'selected', 'required', 'multiple', 'readOnly']);

function build(el, attrs, children) {
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false && !BOOLEAN_PROPS.has(key)) continue;
    if (key === 'text') el.textContent = String(value);
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2).toLowerCase(), value);
    else if (BOOLEAN_PROPS.has(key)) el[key] = Boolean(value);
    else if (key === 'value' && 'value' in el && !(el instanceof SVGElement)) el.value = String(value);
    else el.setAttribute(key, String(value));
  }
  append(el, children);
  return el;
}

/** Appends children (nodes, strings, nested arrays; null/undefined/false skipped). */
export function append(el, children) {
  for (const c of [children].flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
  return el;
}

/** Removes every child. */
export function clear(el) {
  while (el.firstChild) el.firstChild.remove();
  return el;
}

/** Replaces every child of `el` with `children`. */
export function replace(el, ...children) {
  clear(el);
  return append(el, children);
}

let fieldSeq = 0;
/** A unique id for label/input pairs. */
export function uid(prefix = 'f') {
  fieldSeq += 1;
  return `${prefix}-${fieldSeq}`;
}

/**
 * A labelled form field: `control` is an input/select/textarea element; its id is set so the
 * label points at it. Returns the wrapper.
 */
export function field(label, control, hint) {
  if (!control.id) control.id = uid();
  const hintEl = hint ? h('p', { class: 'hint', id: `${control.id}-hint`, text: hint }) : null;
  if (hintEl) control.setAttribute('aria-describedby', hintEl.id);
  return h('div', { class: 'field' }, h('label', { for: control.id, text: label }), control, hintEl);
}

/** A <select> with [value, label] options. */
export function select(options, value, attrs = {}) {
  return h('select', attrs, options.map(([v, label]) => h('option', { value: v, selected: v === value, text: label })));
}

/** Only http(s) URLs become links (a citation URL could say "javascript:"). */
export function safeUrl(url) {
  if (typeof url !== 'string') return undefined;
  try {
    const u = new URL(url, location.href);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : undefined;
  } catch {
    return undefined;
  }
}

/** Moves focus to `el` (made focusable when it is a heading) so screen readers follow page changes. */
export function focusHeading(el) {
  if (!el) return;
  if (!el.hasAttribute('tabindex')) el.setAttribute('tabindex', '-1');
  el.focus({ preventScroll: false });
}
