// A brief opened from a citation: bring the cited sentence into view and give it focus.
const cited = document.querySelector(".sentence.cited");
if (cited) {
  cited.scrollIntoView({ block: "center" });
  cited.focus({ preventScroll: true });
}
