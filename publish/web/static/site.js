/* publish 数字报: the article player. Sentences (span.cue with data-begin/data-end) become the
   cues of a metadata track, so the one being read is marked (.cue-active) from file:// too, where
   <track> files are blocked; a click on a sentence or chapter seeks there; speed buttons. */
(function () {
  "use strict";
  var audio = document.getElementById("player");
  if (!audio) return;
  var pieces = {}, spans = document.querySelectorAll(".cue[data-cue]");
  var track = audio.addTextTrack("metadata", "sentences");
  track.mode = "hidden";
  Array.prototype.forEach.call(spans, function (span) {
    var id = span.getAttribute("data-cue");
    if (!pieces[id]) {
      pieces[id] = [];
      var begin = parseFloat(span.getAttribute("data-begin")), end = parseFloat(span.getAttribute("data-end"));
      if (end > begin && window.VTTCue) {
        var cue = new VTTCue(begin, end, "");
        cue.id = id;
        track.addCue(cue);
      }
    }
    pieces[id].push(span);
    span.addEventListener("click", function () {
      seek(parseFloat(span.getAttribute("data-begin")));
    });
  });
  var active = [];
  track.addEventListener("cuechange", function () {
    active.forEach(function (el) { el.classList.remove("cue-active"); });
    active = [];
    var cues = Array.prototype.slice.call(track.activeCues || []);
    var now = audio.currentTime, ahead = cues.filter(function (c) { return c.endTime > now; });
    (ahead.length ? ahead : cues).forEach(function (cue) {  // at a boundary: the sentence beginning, not the one ending
      (pieces[cue.id] || []).forEach(function (el) { el.classList.add("cue-active"); active.push(el); });
    });
  });
  function seek(at) {
    if (isNaN(at)) return;
    audio.currentTime = at;
    var played = audio.play();
    if (played && played.catch) played.catch(function () {});
  }
  var speeds = document.querySelectorAll("button.speed");
  Array.prototype.forEach.call(speeds, function (button) {
    button.addEventListener("click", function () {
      audio.playbackRate = parseFloat(button.getAttribute("data-rate"));
      Array.prototype.forEach.call(speeds, function (b) { b.setAttribute("aria-pressed", String(b === button)); });
    });
  });
  audio.addEventListener("ratechange", function () {
    Array.prototype.forEach.call(speeds, function (b) {
      b.setAttribute("aria-pressed", String(parseFloat(b.getAttribute("data-rate")) === audio.playbackRate));
    });
  });
  Array.prototype.forEach.call(document.querySelectorAll(".chapters a[data-start]"), function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      seek(parseFloat(link.getAttribute("data-start")));
    });
  });
  var start = /^#t=(\d+(?:\.\d+)?)$/.exec(location.hash);
  if (start) audio.currentTime = parseFloat(start[1]);
})();
