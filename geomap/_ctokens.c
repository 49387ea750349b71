/*
 * geomap._ctokens: the tokeniser and the candidate-span finder of geomap.geoparse, compiled.
 *
 * Finding places spent most of its time walking every token of every article in Python; these
 * two loops are that walk. Each function does exactly what its pure-Python twin in
 * geomap/geoparse.py does (`_TOKEN_RE` with `_Tokens` and `_Token`, and `_candidate_spans`);
 * geoparse uses the Python code when this module is not built (or GEOMAP_PURE_PYTHON is set),
 * and tests/test_geoparse.py checks that the two give the same answers.
 *
 * Character classes are those of Python's `re` in Unicode mode: \s is Py_UNICODE_ISSPACE, \d is
 * Py_UNICODE_ISDECIMAL and \w is Py_UNICODE_ISALNUM or "_".
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

/* The Arabic-script letters of the token pattern (_ARABIC_LETTERS). */
static inline int
in_arabic_letters(Py_UCS4 ch)
{
    return (ch >= 0x0600 && ch <= 0x06FF) || (ch >= 0x0750 && ch <= 0x077F) ||
           (ch >= 0xFB50 && ch <= 0xFDFF) || (ch >= 0xFE70 && ch <= 0xFEFF);
}

/* geoparse._is_arabic_char: what makes a token Arabic script when a name is looked for. */
static inline int
is_arabic_char(Py_UCS4 ch)
{
    return (ch >= 0x0600 && ch <= 0x06FF) || (ch >= 0x0750 && ch <= 0x077F) || (ch >= 0xFB50 && ch <= 0xFEFF);
}

static inline int
is_word(Py_UCS4 ch)
{
    return Py_UNICODE_ISALNUM(ch) || ch == '_';
}

/* [^\W\d_<Arabic letters>]: a letter of a word that is not Arabic script. */
static inline int
is_letter(Py_UCS4 ch)
{
    return Py_UNICODE_ISALNUM(ch) && !Py_UNICODE_ISDECIMAL(ch) && ch != '_' && !in_arabic_letters(ch);
}

static inline int
is_apostrophe(Py_UCS4 ch)
{
    return ch == '\'' || ch == 0x2019;
}

/* The end of the token starting at p (after any white space), or -1 when none starts there
 * (only "_", which no alternative of the pattern takes). The alternatives, in their order:
 * (?:[A-Z]\.){2,} | letters with inner apostrophes not before a lone s | Arabic script | \d+ |
 * [^\s\w]. */
static Py_ssize_t
token_end(int kind, const void *data, Py_ssize_t n, Py_ssize_t p)
{
    Py_UCS4 ch = PyUnicode_READ(kind, data, p);
    Py_ssize_t q = p;
    /* U.S., D.C. */
    while (q + 1 < n && PyUnicode_READ(kind, data, q) >= 'A' && PyUnicode_READ(kind, data, q) <= 'Z' &&
           PyUnicode_READ(kind, data, q + 1) == '.')
        q += 2;
    if (q - p >= 4)
        return q;
    if (is_letter(ch)) {
        q = p + 1;
        for (;;) {
            while (q < n && is_letter(PyUnicode_READ(kind, data, q)))
                q++;
            /* an inner apostrophe, not that of "'s": (?:['’](?![sS]\b)[letters]+)* */
            if (q + 1 < n && is_apostrophe(PyUnicode_READ(kind, data, q))) {
                Py_UCS4 next = PyUnicode_READ(kind, data, q + 1);
                if ((next == 's' || next == 'S') && (q + 2 >= n || !is_word(PyUnicode_READ(kind, data, q + 2))))
                    return q;
                if (is_letter(next)) {
                    q += 2;
                    continue;
                }
            }
            return q;
        }
    }
    if (in_arabic_letters(ch) || ch == 0x200C) {
        q = p + 1;
        while (q < n) {
            Py_UCS4 c = PyUnicode_READ(kind, data, q);
            if (!(in_arabic_letters(c) || c == 0x200C))
                break;
            q++;
        }
        return q;
    }
    if (Py_UNICODE_ISDECIMAL(ch)) {
        q = p + 1;
        while (q < n && Py_UNICODE_ISDECIMAL(PyUnicode_READ(kind, data, q)))
            q++;
        return q;
    }
    if (!Py_UNICODE_ISSPACE(ch) && !is_word(ch))
        return p + 1;
    return -1;
}

/* The tuples and tokens made here hold only strings, ints and bools, so they can be in no
 * reference cycle: they are taken off the cyclic garbage collector's lists, which then does not
 * walk the hundreds of thousands a corpus makes. */
static inline PyObject *
untracked(PyObject *obj)
{
    if (obj != NULL && PyObject_GC_IsTracked(obj))
        PyObject_GC_UnTrack(obj);
    return obj;
}

static PyObject *
pair(Py_ssize_t a, Py_ssize_t b)
{
    PyObject *x = PyLong_FromSsize_t(a), *y = x ? PyLong_FromSsize_t(b) : NULL;
    PyObject *t = y ? untracked(PyTuple_Pack(2, x, y)) : NULL;
    Py_XDECREF(x);
    Py_XDECREF(y);
    return t;
}

/* geoparse._Token as a struct sequence: (text, start, end, arabic, capitalised, word). */
static PyTypeObject *TokenType = NULL;

static PyStructSequence_Field token_fields[] = {
    {"text", "the token as written"},
    {"start", "offset of its first character"},
    {"end", "offset after its last character"},
    {"arabic", "whether it is Arabic script"},
    {"capitalised", "whether it starts with a capital (Arabic script counts as capitalised)"},
    {"word", "whether it starts with a letter"},
    {NULL, NULL},
};

static PyStructSequence_Desc token_desc = {
    "geomap._ctokens.Token", "A token of a text and what the name rules ask of it.", token_fields, 6,
};

PyDoc_STRVAR(tokenize_doc,
"tokenize(text) -> (spans, tokens)\n\n"
"The word, abbreviation, number, Arabic-script and punctuation tokens of text, in order: their\n"
"(start, end) spans (geoparse._TOKEN_RE's group 1) and a Token for each.");

static PyObject *
tokenize(PyObject *module, PyObject *text)
{
    if (!PyUnicode_Check(text)) {
        PyErr_SetString(PyExc_TypeError, "tokenize() takes a str");
        return NULL;
    }
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    PyObject *spans = PyList_New(0), *tokens = PyList_New(0);
    if (spans == NULL || tokens == NULL)
        goto error;
    Py_ssize_t p = 0;
    while (p < n) {
        while (p < n && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, p)))
            p++;
        if (p >= n)
            break;
        Py_ssize_t end = token_end(kind, data, n, p);
        if (end < 0) {
            p++;
            continue;
        }
        PyObject *span = pair(p, end);
        if (span == NULL)
            goto error;
        if (PyList_Append(spans, span) < 0) {
            Py_DECREF(span);
            goto error;
        }
        PyObject *token = PyStructSequence_New(TokenType);
        PyObject *word = PyUnicode_Substring(text, p, end);
        if (token == NULL || word == NULL) {
            Py_DECREF(span);
            Py_XDECREF(token);
            Py_XDECREF(word);
            goto error;
        }
        Py_UCS4 first = PyUnicode_READ(kind, data, p);
        int arabic = is_arabic_char(first);
        PyObject *start_obj = PyTuple_GET_ITEM(span, 0), *end_obj = PyTuple_GET_ITEM(span, 1);
        Py_INCREF(start_obj);
        Py_INCREF(end_obj);
        PyStructSequence_SET_ITEM(token, 0, word);
        PyStructSequence_SET_ITEM(token, 1, start_obj);
        PyStructSequence_SET_ITEM(token, 2, end_obj);
        PyStructSequence_SET_ITEM(token, 3, PyBool_FromLong(arabic));
        PyStructSequence_SET_ITEM(token, 4, PyBool_FromLong(Py_UNICODE_ISUPPER(first) || arabic));
        PyStructSequence_SET_ITEM(token, 5, PyBool_FromLong(Py_UNICODE_ISALPHA(first)));
        Py_DECREF(span);
        untracked(token);
        int rc = PyList_Append(tokens, token);
        Py_DECREF(token);
        if (rc < 0)
            goto error;
        p = end;
    }
    PyObject *out = PyTuple_Pack(2, spans, tokens);
    Py_DECREF(spans);
    Py_DECREF(tokens);
    return out;
error:
    Py_XDECREF(spans);
    Py_XDECREF(tokens);
    return NULL;
}

/* Whether the token [a, b) is all ASCII lower-case letters (its .lower() is itself). */
static int
ascii_lower(int kind, const void *data, Py_ssize_t a, Py_ssize_t b)
{
    for (Py_ssize_t k = a; k < b; k++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, k);
        if (c < 'a' || c > 'z')
            return 0;
    }
    return 1;
}

static inline int
one_char(int kind, const void *data, Py_ssize_t a, Py_ssize_t b, Py_UCS4 c)
{
    return b - a == 1 && PyUnicode_READ(kind, data, a) == c;
}

/* Appends (i, j, key(text[start:end])); returns -1 on error. */
static int
add_span(PyObject *out, PyObject *text, PyObject *key, Py_ssize_t i, Py_ssize_t j, Py_ssize_t start, Py_ssize_t end)
{
    PyObject *sub = PyUnicode_Substring(text, start, end);
    if (sub == NULL)
        return -1;
    PyObject *k = PyObject_CallOneArg(key, sub);
    Py_DECREF(sub);
    if (k == NULL)
        return -1;
    PyObject *a = PyLong_FromSsize_t(i), *b = a ? PyLong_FromSsize_t(j) : NULL;
    PyObject *t = b ? untracked(PyTuple_Pack(3, a, b, k)) : NULL;
    Py_XDECREF(a);
    Py_XDECREF(b);
    Py_DECREF(k);
    if (t == NULL)
        return -1;
    int rc = PyList_Append(out, t);
    Py_DECREF(t);
    return rc;
}

/* Membership of text[a:b] (or of its .lower() when lower is set) in a set; -1 on error. */
static int
token_in(PyObject *text, Py_ssize_t a, Py_ssize_t b, PyObject *set, int lower)
{
    PyObject *sub = PyUnicode_Substring(text, a, b);
    if (sub == NULL)
        return -1;
    if (lower) {
        PyObject *low = PyObject_CallMethod(sub, "lower", NULL);
        Py_DECREF(sub);
        if (low == NULL)
            return -1;
        sub = low;
    }
    int rc = PySet_Contains(set, sub);
    Py_DECREF(sub);
    return rc;
}

PyDoc_STRVAR(candidate_spans_doc,
"candidate_spans(text, offsets, admin_suffixes, connectors, key, max_tokens) -> list of (i, j, key)\n\n"
"geoparse._candidate_spans: every run of tokens that may be a name (first token, last token + 1,\n"
"key(the run's text)).");

static PyObject *
candidate_spans(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 6) {
        PyErr_SetString(PyExc_TypeError, "candidate_spans() takes 6 arguments");
        return NULL;
    }
    PyObject *text = args[0], *offsets = args[1], *suffixes = args[2], *connectors = args[3], *key = args[4];
    Py_ssize_t max_tokens = PyLong_AsSsize_t(args[5]);
    if (max_tokens == -1 && PyErr_Occurred())
        return NULL;
    if (!PyUnicode_Check(text) || !PyList_Check(offsets) || !PyAnySet_Check(suffixes) || !PyAnySet_Check(connectors)) {
        PyErr_SetString(PyExc_TypeError, "candidate_spans(str, list, set, set, callable, int)");
        return NULL;
    }
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t n = PyList_GET_SIZE(offsets);
    Py_ssize_t *so = PyMem_Malloc(sizeof(Py_ssize_t) * 2 * (n ? n : 1));
    if (so == NULL)
        return PyErr_NoMemory();
    for (Py_ssize_t t = 0; t < n; t++) {
        PyObject *span = PyList_GET_ITEM(offsets, t);
        if (!PyTuple_Check(span) || PyTuple_GET_SIZE(span) != 2) {
            PyMem_Free(so);
            PyErr_SetString(PyExc_TypeError, "offsets must be (start, end) tuples");
            return NULL;
        }
        so[2 * t] = PyLong_AsSsize_t(PyTuple_GET_ITEM(span, 0));
        so[2 * t + 1] = PyLong_AsSsize_t(PyTuple_GET_ITEM(span, 1));
        if (PyErr_Occurred())
            break;
        /* spans of the text, non-empty, in order: what tokenize() gives (nothing is read outside) */
        if (so[2 * t] < (t ? so[2 * t - 1] : 0) || so[2 * t + 1] <= so[2 * t] || so[2 * t + 1] > PyUnicode_GET_LENGTH(text)) {
            PyErr_SetString(PyExc_ValueError, "offsets must be the text's token spans, in order");
            break;
        }
    }
    if (PyErr_Occurred()) {
        PyMem_Free(so);
        return NULL;
    }
#define START(t) so[2 * (t)]
#define END(t) so[2 * (t) + 1]
#define CHAR(p) PyUnicode_READ(kind, data, (p))
#define ADD(a, b, s, e) do { if (add_span(out, text, key, (a), (b), (s), (e)) < 0) goto error; } while (0)
    PyObject *out = PyList_New(0);
    if (out == NULL) {
        PyMem_Free(so);
        return NULL;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_ssize_t start = START(i), end = END(i);
        Py_UCS4 first = CHAR(start);
        int arabic;
        if (Py_UNICODE_ISUPPER(first)) {
            if (!Py_UNICODE_ISALPHA(first))
                continue;
            arabic = 0;
        }
        else if (first >= 0x0600 && is_arabic_char(first))
            arabic = 1;
        else
            continue;
        ADD(i, i + 1, start, end);
        Py_ssize_t j = i + 1, prev_end = end;
        while (j < n && j - i < max_tokens) {
            Py_ssize_t t_start = START(j), t_end = END(j);
            if (prev_end != t_start && (t_start - prev_end > 1 || CHAR(t_start - 1) == '\n'))
                break;
            Py_UCS4 t_first = CHAR(t_start);
            int t_arabic = t_first >= 0x0600 && is_arabic_char(t_first);
            int capitalised = Py_UNICODE_ISUPPER(t_first) || t_arabic;
            int elided = 0;
            if (Py_UNICODE_ISALPHA(t_first)) {
                if (!capitalised) {
                    int found = token_in(text, t_start, t_end, suffixes, 0);
                    if (found < 0)
                        goto error;
                    if (found) {
                        /* "Kandahar province": a lower-case administrative word ends a name. */
                        ADD(i, j + 1, start, t_end);
                        break;
                    }
                    /* "Côte d'Ivoire": ^[dl]['’][A-Z] */
                    elided = (t_first == 'd' || t_first == 'l') && t_end - t_start >= 3 &&
                             is_apostrophe(CHAR(t_start + 1)) && CHAR(t_start + 2) >= 'A' && CHAR(t_start + 2) <= 'Z';
                    if (!elided) {
                        found = token_in(text, t_start, t_end, connectors, !ascii_lower(kind, data, t_start, t_end));
                        if (found < 0)
                            goto error;
                        if (!found)
                            break; /* most names end at a lower-case word */
                    }
                }
            }
            else if ((one_char(kind, data, t_start, t_end, '\'') || one_char(kind, data, t_start, t_end, 0x2019)) &&
                     j + 2 < n && (one_char(kind, data, START(j + 1), END(j + 1), 's') ||
                                   one_char(kind, data, START(j + 1), END(j + 1), 'S')) &&
                     START(j + 1) == t_end && Py_UNICODE_ISUPPER(CHAR(START(j + 2))) && START(j + 2) - END(j + 1) == 1) {
                /* A possessive inside a name: "People's Republic of China". */
                prev_end = END(j + 1);
                j += 2;
                continue;
            }
            else if (t_end - t_start == 1 && j + 1 < n &&
                     (t_first == '-' || t_first == 0x2013 || t_first == '\'' || t_first == 0x2019 || t_first == '.')) {
                prev_end = t_end;
                j += 1;
                continue;
            }
            else
                break;
            if (t_arabic != arabic)
                break;
            if (capitalised || elided)
                ADD(i, j + 1, start, t_end);
            prev_end = t_end;
            j += 1;
        }
    }
    PyMem_Free(so);
    return out;
error:
    PyMem_Free(so);
    Py_DECREF(out);
    return NULL;
#undef START
#undef END
#undef CHAR
#undef ADD
}

static PyMethodDef methods[] = {
    {"tokenize", (PyCFunction)tokenize, METH_O, tokenize_doc},
    {"candidate_spans", (PyCFunction)(void (*)(void))candidate_spans, METH_FASTCALL, candidate_spans_doc},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module_def = {
    PyModuleDef_HEAD_INIT, "geomap._ctokens",
    "geomap.geoparse's tokeniser and candidate-span finder, compiled (same answers as its Python code).",
    -1, methods,
};

PyMODINIT_FUNC
PyInit__ctokens(void)
{
    PyObject *module = PyModule_Create(&module_def);
    if (module == NULL)
        return NULL;
    TokenType = PyStructSequence_NewType(&token_desc);
    if (TokenType == NULL || PyModule_AddObjectRef(module, "Token", (PyObject *)TokenType) < 0) {
        Py_DECREF(module);
        return NULL;
    }
    return module;
}
