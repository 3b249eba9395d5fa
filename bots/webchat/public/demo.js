/* Demo page: example questions fill the widget's input (no inline script: the page has a strict CSP). */
document.addEventListener('click', (e) => {
  const button = e.target && e.target.closest ? e.target.closest('button[data-question]') : null;
  if (button && window.LoaWidget) window.LoaWidget.fill(button.getAttribute('data-question'));
});
