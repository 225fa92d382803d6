/* Charts for the analytics page, drawn on <canvas> with no library: bars per day, and
 * utilisation bars per staff member. Data comes from the JSON block the server rendered. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("chart-data").textContent);

  function bars(canvas, labels, values, format, max) {
    var ctx = canvas.getContext("2d"), w = canvas.width, h = canvas.height, pad = 28;
    var top = max || Math.max.apply(null, values.concat([1]));
    var step = (w - pad * 2) / Math.max(values.length, 1);
    ctx.clearRect(0, 0, w, h);
    ctx.font = "11px system-ui"; ctx.fillStyle = "#555";
    ctx.fillText(format(top), 2, 12);
    values.forEach(function (v, i) {
      var bar = (h - pad * 2) * v / top;
      ctx.fillStyle = "#5b3cc4";
      ctx.fillRect(pad + i * step + 1, h - pad - bar, Math.max(step - 2, 1), bar);
      if (values.length <= 16 || i % Math.ceil(values.length / 12) === 0) {
        ctx.fillStyle = "#555";
        ctx.fillText(labels[i], pad + i * step, h - 10);
      }
    });
  }
  bars(document.getElementById("per-day"), data.days.map(function (d) { return d[0].slice(5); }),
       data.days.map(function (d) { return d[1]; }), String);
  bars(document.getElementById("utilisation"), data.utilisation.map(function (u) { return u[0]; }),
       data.utilisation.map(function (u) { return u[1]; }),
       function (v) { return Math.round(v * 100) + "%"; }, 1);
})();
