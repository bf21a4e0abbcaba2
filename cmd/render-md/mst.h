/* mst.h: Mustache templates (https://mustache.github.io/mustache.5.html)
 * over jansson values: variables, sections, inverted sections, comments,
 * partials with indentation, set delimiters; no lambdas. Beyond the spec:
 * an empty string is falsey, and inside a list section @index (from 0),
 * @first and @last describe the innermost list being iterated. */
#ifndef FEEDPIPE_MST_H
#define FEEDPIPE_MST_H

#include <stddef.h>

#include <jansson.h>

struct mst;		/* a compiled template */
struct mst_lib;		/* partials by name: a loader and a cache */
struct mst_stream;	/* a rendering with one list streamed */

/* Compile src[0..n). indent (may be NULL) is prepended to every line first,
 * as for a standalone partial tag. On error NULL, and "NAME:LINE: message"
 * in err. */
struct mst *mst_compile(const char *src, size_t n, const char *name,
    const char *indent, char *err, size_t errlen);
void mst_free(struct mst *t);

/* load returns the source of partial name in malloc'd memory (its length in
 * *len), or NULL if there is none; *path names it for messages. */
typedef char *mst_loader(void *arg, const char *name, size_t *len,
    const char **path);
struct mst_lib *mst_lib_new(mst_loader *load, void *arg);
void mst_lib_free(struct mst_lib *lib);

/* Where output goes: template text, and interpolated values (raw for
 * {{{x}}} and {{&x}}, to be escaped otherwise). */
struct mst_sink {
	void (*text)(void *arg, const char *s, size_t n);
	void (*value)(void *arg, const char *s, size_t n, int raw);
	void *arg;
};

/* Values made when they are needed. A section over the value lazy (if
 * not NULL) is streamed: see mst_stream_begin. Each element of a list a
 * section iterates over is passed to expand (if not NULL), which may return
 * a new reference to stand for it. */
struct mst_lazy {
	json_t *lazy;
	json_t *(*expand)(void *arg, json_t *item);
	void *arg;
};

/* Render t over view. Problems that do not stop it (a partial that is not
 * found, partials nested too deep) go to warn, once each. 0, or -1 if a
 * partial failed to compile (message in err). */
int mst_render(struct mst_lib *lib, const struct mst *t, json_t *view,
    const struct mst_sink *out, const struct mst_lazy *lazy,
    void (*warn)(void *arg, const char *msg), void *warnarg,
    char *err, size_t errlen);

/* Render t over view as mst_render does, but for the section at t's top
 * level over lazy->lazy: its contents are rendered once for each item
 * mst_stream_item is given, as the items come (one behind, to know the
 * last); before that, only what comes before the section is rendered.
 * NULL if a partial failed to compile (message in err). */
struct mst_stream *mst_stream_begin(struct mst_lib *lib, const struct mst *t,
    json_t *view, const struct mst_sink *out, const struct mst_lazy *lazy,
    void (*warn)(void *arg, const char *msg), void *warnarg,
    char *err, size_t errlen);
/* The next item (its reference is taken). 0, or -1 if rendering failed
 * (message in err). */
int mst_stream_item(struct mst_stream *s, json_t *item);
/* The last item and the rest of the template; s is freed. 0 or -1. */
int mst_stream_end(struct mst_stream *s);

/* Every tag reachable from t, partials followed (each name and indent once):
 * kind is one of "#^{>" for a section, inverted section, interpolation and
 * partial; depth counts the sections around it in its own template, and
 * inpartial tells whether it is in a partial. 0, or -1 with a message in err
 * if a partial does not compile. */
typedef void mst_visit(void *arg, int kind, const char *name, int depth,
    int inpartial);
int mst_walk(struct mst_lib *lib, const struct mst *t, mst_visit *fn,
    void *arg, char *err, size_t errlen);

#endif
