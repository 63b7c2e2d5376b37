// Brings the cited passage into view and gives it focus, so keyboard and screen-reader users land on it.
const cited = document.getElementById('passage-cite');
if (cited) {
  cited.scrollIntoView({ block: 'center' });
  cited.focus({ preventScroll: true });
}
