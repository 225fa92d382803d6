/* The analytics page's charts, drawn on <canvas> with no library from the JSON block the
 * server rendered. Each chart draws the rows of the table under it (the tables are what a
 * screen reader reads; the canvases are aria-hidden). Canvases take their container's width
 * and are drawn again when it changes, so they scale down to a phone without sideways
 * scrolling. Bookings and money per day are columns, one per day with the empty days as gaps; the
 * other charts are horizontal bars, one per table row. */
(function () {
  "use strict";
  var source = document.getElementById("chart-data");
  if (!source) { return; }
  var charts = JSON.parse(source.textContent).charts;
  var INK = "#1d1d1f", BAR = "#5b3cc4", MUTED = "#555", ROW = 24;

  function fit(canvas, height) {
    var ratio = window.devicePixelRatio || 1;
    var width = canvas.parentElement.clientWidth;
    canvas.style.width = width + "px";
    canvas.style.height = height + "px";
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
    var ctx = canvas.getContext("2d");
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.font = "12px system-ui, sans-serif";
    return { ctx: ctx, width: width, height: height };
  }

  function shown(value, percent) {
    return percent ? Math.round(value * 100) + "%" : String(value);
  }

  function columns(canvas, chart) {
    var box = fit(canvas, 200), ctx = box.ctx, pad = 24, values = chart.values;
    var top = Math.max.apply(null, values.concat([1]));
    var step = (box.width - pad * 2) / Math.max(values.length, 1);
    var every = Math.ceil(values.length / Math.max(Math.floor(box.width / 56), 1));
    ctx.fillStyle = MUTED;
    ctx.fillText(shown(top, chart.percent), 2, 12);
    values.forEach(function (v, i) {
      var bar = (box.height - pad * 2) * v / top, x = pad + i * step;
      ctx.fillStyle = BAR;
      ctx.fillRect(x + 1, box.height - pad - bar, Math.max(step - 2, 1), bar);
      if (i % every === 0) {
        ctx.fillStyle = MUTED;
        ctx.fillText(chart.labels[i].split(", ").pop(), x, box.height - 6);
      }
    });
  }

  function bars(canvas, chart) {
    var values = chart.values, box = fit(canvas, values.length * ROW + 8), ctx = box.ctx;
    var label = Math.min(Math.round(box.width * 0.4), 180), room = box.width - label - 44;
    var top = chart.percent ? 1 : Math.max.apply(null, values.concat([1]));
    values.forEach(function (v, i) {
      var y = 4 + i * ROW, text = chart.labels[i];
      while (text.length > 3 && ctx.measureText(text).width > label - 6) {
        text = text.slice(0, -2) + "…";
      }
      ctx.fillStyle = INK;
      ctx.fillText(text, 0, y + 15);
      ctx.fillStyle = BAR;
      ctx.fillRect(label, y + 3, Math.max(room * Math.min(v / top, 1), v ? 2 : 0), ROW - 8);
      ctx.fillStyle = MUTED;
      ctx.fillText(shown(v, chart.percent), label + room * Math.min(v / top, 1) + 4, y + 15);
    });
  }

  function draw() {
    Array.prototype.forEach.call(document.querySelectorAll("canvas[data-chart]"), function (c) {
      var chart = charts[c.getAttribute("data-chart")];
      if (chart) { (/per-day$/.test(c.getAttribute("data-chart")) ? columns : bars)(c, chart); }
    });
  }

  var pending = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(pending);
    pending = window.setTimeout(draw, 100);
  });
  draw();
})();
