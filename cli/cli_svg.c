/* A schedule as an SVG plot: one column per retry, showing the shape of the wait's distribution (a
 * histogram mirrored about the column's centre, as a violin plot), a solid line at p50 and a dashed line
 * at p95. A retry without jitter is a single bar at its wait. The wait axis is logarithmic when the waits
 * span more than two decades (else the first retries are slivers at the bottom), and a red line marks the
 * cap when it is within reach of the plot. */
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>

#include "cli_format.h"
#include "cli_output.h"

enum { WIDTH = 800, HEIGHT = 440 };
static const double plot_left = 90, plot_right = 780, plot_top = 60, plot_bottom = 380;

/* A logarithmic axis once the largest wait is more than this many times the smallest positive one. */
static const double log_scale_span = 100.0;

typedef struct scale {
  double top_ns;      /* the wait at the top of the plot */
  double bottom_ns;   /* the log axis: the wait at the bottom, a power of ten; 0 for a linear axis */
  double column;      /* width of one retry's column */
} scale;

static double y_of(const scale *s, double ns) {
  const double height = plot_bottom - plot_top;
  if (s->bottom_ns == 0) return plot_bottom - ns / s->top_ns * height;
  if (ns <= s->bottom_ns) return plot_bottom;
  return plot_bottom - log10(ns / s->bottom_ns) / log10(s->top_ns / s->bottom_ns) * height;
}
static double x_of(const scale *s, size_t index) { return plot_left + ((double)index + 0.5) * s->column; }

/* Writes text with the five XML special characters escaped. */
static void write_text(FILE *out, const char *text) {
  for (; *text; ++text) {
    switch (*text) {
      case '&': fputs("&amp;", out); break;
      case '<': fputs("&lt;", out); break;
      case '>': fputs("&gt;", out); break;
      case '"': fputs("&quot;", out); break;
      case '\'': fputs("&apos;", out); break;
      default: fputc(*text, out);
    }
  }
}

/* A round step for about five gridlines up to `top_ns`: 1, 2 or 5 times a power of ten nanoseconds. */
static int64_t grid_step(int64_t top_ns) {
  int64_t step = 1;
  for (;;) {
    const int64_t multiples[] = {1, 2, 5};
    for (int i = 0; i < 3; ++i) {
      if (top_ns / (step * multiples[i]) <= 5) return step * multiples[i];
    }
    if (step > INT64_MAX / 100) return step * 10;
    step *= 10;
  }
}

static void write_gridline(FILE *out, const scale *s, int64_t ns) {
  char label[CLI_DURATION_SIZE];
  const double y = y_of(s, (double)ns);
  cli_format_duration(label, sizeof label, ns);
  fprintf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>\n", plot_left, y,
          plot_right, y);
  fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n", plot_left - 8, y + 4, label);
}

static void write_axes(FILE *out, const scale *s, const cli_schedule *schedule, int64_t top_ns) {
  if (s->bottom_ns != 0) {
    /* A gridline at each power of ten. */
    for (double ns = s->bottom_ns; ns <= s->top_ns && ns < 9.2e18; ns *= 10) write_gridline(out, s, (int64_t)ns);
  } else {
    const int64_t step = grid_step(top_ns);
    for (int64_t ns = 0; ns <= top_ns && ns >= 0; ns += step) {
      write_gridline(out, s, ns);
      if (ns > INT64_MAX - step) break;
    }
  }
  const size_t every = schedule->count / 20 + 1; /* at most about 20 labels */
  for (size_t i = 0; i < schedule->count; i += every) {
    fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%llu</text>\n", x_of(s, i),
            plot_bottom + 18, (unsigned long long)schedule->rows[i].retry);
  }
  fprintf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#333\"/>\n", plot_left,
          plot_bottom, plot_right, plot_bottom);
  fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">retry</text>\n",
          (plot_left + plot_right) / 2, plot_bottom + 40);
  const double middle = (plot_top + plot_bottom) / 2;
  fprintf(out,
          "<text x=\"20\" y=\"%.1f\" transform=\"rotate(-90 20 %.1f)\" text-anchor=\"middle\">wait%s</text>\n",
          middle, middle, s->bottom_ns != 0 ? " (log scale)" : "");
}

static void write_cap(FILE *out, const scale *s, int64_t cap_ns) {
  char label[CLI_DURATION_SIZE];
  cli_format_duration(label, sizeof label, cap_ns);
  const double y = y_of(s, (double)cap_ns);
  fprintf(out,
          "<g class=\"cap\"><line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#cb181d\" "
          "stroke-dasharray=\"8 4\"/>\n<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" fill=\"#cb181d\">cap "
          "%s</text></g>\n",
          plot_left, y, plot_right, y, plot_right, y - 4, label);
}

/* The axis: up to the largest wait, or to the cap when it is near (so its line shows without squashing
 * the waits); logarithmic from a power of ten at or below the smallest positive wait, when the waits span
 * more than log_scale_span. */
static scale choose_scale(const cli_schedule *schedule, int64_t cap_ns, bool *cap_shown) {
  int64_t top_ns = 1, low_ns = INT64_MAX;
  for (size_t i = 0; i < schedule->count; ++i) {
    const cli_schedule_row *row = &schedule->rows[i];
    if (row->max_ns > top_ns) top_ns = row->max_ns;
    const int64_t lowest = row->min_ns > 0 ? row->min_ns : row->p50_ns;
    if (lowest > 0 && lowest < low_ns) low_ns = lowest;
  }
  *cap_shown = (double)cap_ns <= 1.5 * (double)top_ns;
  if (*cap_shown && cap_ns > top_ns) top_ns = cap_ns;
  scale s = {(double)top_ns, 0, (plot_right - plot_left) / (double)(schedule->count ? schedule->count : 1)};
  if (low_ns != INT64_MAX && (double)top_ns > log_scale_span * (double)low_ns) {
    s.bottom_ns = pow(10, ceil(log10((double)low_ns)) - 1); /* strictly below: the lowest wait shows */
  }
  return s;
}

/* The histogram as a closed outline: up the right side bin by bin, then down the left side. */
static void write_violin(FILE *out, const scale *s, const cli_schedule_row *row, double centre) {
  uint32_t most = 1;
  for (int b = 0; b < CLI_SCHEDULE_BINS; ++b) most = row->histogram[b] > most ? row->histogram[b] : most;
  const double bin_ns = (double)(row->max_ns - row->min_ns) / CLI_SCHEDULE_BINS;
  const double half_width = 0.42 * s->column;
  fputs("<path fill=\"#9ecae1\" stroke=\"#3182bd\" d=\"", out);
  for (int side = 1; side >= -1; side -= 2) {
    for (int i = 0; i < CLI_SCHEDULE_BINS; ++i) {
      const int b = side == 1 ? i : CLI_SCHEDULE_BINS - 1 - i;
      const double x = centre + side * half_width * row->histogram[b] / most;
      const double low = y_of(s, (double)row->min_ns + bin_ns * b);
      const double high = y_of(s, (double)row->min_ns + bin_ns * (b + 1));
      fprintf(out, "%s%.1f %.1f L%.1f %.1f ", side == 1 && i == 0 ? "M" : "L", x, side == 1 ? low : high, x,
              side == 1 ? high : low);
    }
  }
  fputs("Z\"/>\n", out);
}

static void write_mark(FILE *out, const scale *s, double centre, int64_t ns, const char *style) {
  const double y = y_of(s, (double)ns), half = 0.45 * s->column;
  fprintf(out,
          "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#08306b\" stroke-width=\"2\"%s/>\n",
          centre - half, y, centre + half, y, style);
}

static void write_row(FILE *out, const scale *s, const cli_schedule_row *row, size_t index) {
  char min[CLI_DURATION_SIZE], p50[CLI_DURATION_SIZE], p95[CLI_DURATION_SIZE], max[CLI_DURATION_SIZE];
  cli_format_duration(min, sizeof min, row->min_ns);
  cli_format_duration(p50, sizeof p50, row->p50_ns);
  cli_format_duration(p95, sizeof p95, row->p95_ns);
  cli_format_duration(max, sizeof max, row->max_ns);
  const double centre = x_of(s, index);
  fprintf(out, "<g class=\"retry\"><title>retry %llu: min %s, p50 %s, p95 %s, max %s</title>\n",
          (unsigned long long)row->retry, min, p50, p95, max);
  if (row->min_ns == row->max_ns) {
    write_mark(out, s, centre, row->min_ns, "");
  } else {
    write_violin(out, s, row, centre);
    write_mark(out, s, centre, row->p50_ns, "");
    write_mark(out, s, centre, row->p95_ns, " stroke-dasharray=\"4 3\"");
  }
  fputs("</g>\n", out);
}

/* The line under the title: what the columns show, and which form of the waits they sample. */
static void write_subtitle(FILE *out, const cli_schedule *schedule, bool cap_shown, int64_t cap_ns) {
  char cap[CLI_DURATION_SIZE];
  cli_format_duration(cap, sizeof cap, cap_ns);
  fprintf(out, "<text x=\"%d\" y=\"44\" text-anchor=\"middle\" fill=\"#555\">", WIDTH / 2);
  if (!schedule->jittered) {
    fputs("wait before each retry (no jitter: one value each)", out);
  } else {
    fprintf(out, "wait before each retry: shape from %d %s, solid line p50, dashed line p95", CLI_SCHEDULE_SAMPLES,
            schedule->form == CLI_SCHEDULE_CHAIN ? "walks of the decorrelated chain" : "draws");
  }
  if (!cap_shown) fprintf(out, "; cap %s is above the plot", cap);
  fputs("</text>\n", out);
}

int cli_write_schedule_svg(const char *path, const cli_schedule *schedule, const backoff_policy *policy) {
  FILE *out = fopen(path, "w");
  if (out == NULL) return -1;
  int64_t cap_ns = 0;
  backoff_policy_get_i64(&cap_ns, policy, BACKOFF_PARAM_CAP_NS);
  bool cap_shown = false;
  const scale s = choose_scale(schedule, cap_ns, &cap_shown);
  const int64_t top_ns = (int64_t)s.top_ns;
  char description[512];
  cli_describe_policy(description, sizeof description, policy);
  fprintf(out,
          "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
          "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
          "font-family=\"sans-serif\" font-size=\"12\">\n"
          "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n"
          "<text x=\"%d\" y=\"24\" text-anchor=\"middle\" font-size=\"14\">",
          WIDTH, HEIGHT, WIDTH, HEIGHT, WIDTH / 2);
  write_text(out, description);
  fputs("</text>\n", out);
  write_subtitle(out, schedule, cap_shown, cap_ns);
  write_axes(out, &s, schedule, top_ns);
  if (cap_shown) write_cap(out, &s, cap_ns);
  for (size_t i = 0; i < schedule->count; ++i) write_row(out, &s, &schedule->rows[i], i);
  fputs("</svg>\n", out);
  const int failed = ferror(out);
  if (fclose(out) != 0 || failed) {
    if (errno == 0) errno = EIO;
    return -1;
  }
  return 0;
}
