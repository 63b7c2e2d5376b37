// Brings the cited passage into view and gives it focus, so keyboard and screen-reader users land on it.
// Runs after load: the browser's own scroll to the #section fragment would otherwise win.
window.addEventListener('load', () => {
  const cited = document.getElementById('passage-cite');
  if (!cited) return;
  requestAnimationFrame(() => {
    cited.scrollIntoView({ block: 'center' });
    cited.focus({ preventScroll: true });
  });
});
