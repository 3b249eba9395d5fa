/* global document, window, HTMLDetailsElement */
// The page works without this script; it only moves keyboard focus where the eye goes:
// into a comment form when it opens, and to the confirmation after a comment is recorded.
document.addEventListener('toggle', (e) => {
  const d = e.target;
  if (d instanceof HTMLDetailsElement && d.open) d.querySelector('input[type=radio], textarea')?.focus();
}, true);
window.addEventListener('DOMContentLoaded', () => {
  const focusTarget = document.getElementById('recorded') || document.querySelector('.error');
  if (focusTarget) focusTarget.focus();
});
