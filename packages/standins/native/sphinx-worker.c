/*
 * sphinx-worker: loads a pocketsphinx model ONCE and recognises utterances sent over stdin.
 *
 * Protocol (all integers little-endian):
 *   request : 'R' u32 nsamples, then nsamples * int16 (16 kHz mono PCM of the WHOLE utterance so far)
 *             'Q' quit
 *   response: u32 nbytes, then nbytes of UTF-8 text:
 *             line 1: "OK <incremental 0|1> <nframes> <newsamples>"   (or "ERR <message>")
 *             line 2: hypothesis (may be empty)
 *             then one line per word: "<word>\t<start frame>\t<end frame>\t<log prob>"
 *
 * Incremental decoding: when a request's PCM starts with exactly the PCM of the previous request,
 * the utterance is kept open and only the new samples are processed. Otherwise the utterance is
 * restarted, and the live CMN estimate is reset to its start-up value so the result does not depend
 * on earlier requests. Hypotheses are read mid-utterance (first pass only: fwdflat and bestpath are
 * off), so a growing utterance and a cold decode of the same audio give the same words.
 *
 * Usage: sphinx-worker <model dir containing en-us/, en-us.lm.bin, cmudict-en-us.dict> [-name value]...
 *        (extra pocketsphinx settings, e.g. search beams)
 */
#include <pocketsphinx.h>
#include <sphinxbase/cmn.h>
#include <sphinxbase/feat.h>
#include <sphinxbase/err.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int read_full(void *buf, size_t n) {
  size_t got = 0;
  while (got < n) {
    size_t r = fread((char *)buf + got, 1, n - got, stdin);
    if (r == 0) return -1;
    got += r;
  }
  return 0;
}

static void reply(const char *text, size_t len) {
  uint32_t n = (uint32_t)len;
  unsigned char hdr[4] = {n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, (n >> 24) & 0xff};
  fwrite(hdr, 1, 4, stdout);
  fwrite(text, 1, len, stdout);
  fflush(stdout);
}

typedef struct {
  char *buf;
  size_t len, cap;
} sbuf;

static void sb_add(sbuf *b, const char *s) {
  size_t l = strlen(s);
  if (b->len + l + 1 > b->cap) {
    b->cap = (b->len + l + 1) * 2;
    b->buf = realloc(b->buf, b->cap);
  }
  memcpy(b->buf + b->len, s, l);
  b->len += l;
  b->buf[b->len] = 0;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: sphinx-worker MODEL_DIR\n");
    return 2;
  }
  char hmm[1024], lm[1024], dict[1024];
  snprintf(hmm, sizeof hmm, "%s/en-us", argv[1]);
  snprintf(lm, sizeof lm, "%s/en-us.lm.bin", argv[1]);
  snprintf(dict, sizeof dict, "%s/cmudict-en-us.dict", argv[1]);
  err_set_logfp(NULL);
  /* fixed settings first, then any "-name value" pairs from the command line (search tuning) */
  const char *fixed[] = {"-hmm", hmm, "-lm", lm, "-dict", dict, "-fwdflat", "no", "-bestpath", "no", "-logfn", "/dev/null"};
  int nfixed = (int)(sizeof fixed / sizeof fixed[0]);
  char **args = calloc((size_t)(nfixed + argc), sizeof(char *));
  int nargs = 0;
  for (int i = 0; i < nfixed; i++) args[nargs++] = (char *)fixed[i];
  for (int i = 2; i < argc; i++) args[nargs++] = argv[i];
  cmd_ln_t *config = cmd_ln_parse_r(NULL, ps_args(), nargs, args, TRUE);
  if (config == NULL) {
    fprintf(stderr, "sphinx-worker: bad configuration\n");
    return 3;
  }
  ps_decoder_t *ps = ps_init(config);
  if (ps == NULL) {
    fprintf(stderr, "sphinx-worker: cannot load model from %s\n", argv[1]);
    return 3;
  }
  feat_t *feat = ps_get_feat(ps);
  int ncep = feat_cepsize(feat);
  mfcc_t *cmn0 = calloc((size_t)ncep, sizeof(mfcc_t));
  cmn_live_get(feat->cmn_struct, cmn0);

  int16_t *prev = NULL;
  size_t prev_n = 0, prev_cap = 0;
  int utt_open = 0;
  sbuf out = {0};

  fprintf(stderr, "sphinx-worker: ready\n");
  reply("READY", 5);

  for (;;) {
    unsigned char cmd;
    if (read_full(&cmd, 1) != 0 || cmd == 'Q') break;
    if (cmd != 'R') {
      fprintf(stderr, "sphinx-worker: bad command %d\n", cmd);
      return 4;
    }
    unsigned char lenb[4];
    if (read_full(lenb, 4) != 0) break;
    size_t n = (size_t)lenb[0] | ((size_t)lenb[1] << 8) | ((size_t)lenb[2] << 16) | ((size_t)lenb[3] << 24);
    int16_t *cur = malloc(n * sizeof(int16_t) + 2);
    if (n > 0 && read_full(cur, n * sizeof(int16_t)) != 0) break;

    int incremental = utt_open && n >= prev_n && prev_n > 0 &&
                      memcmp(cur, prev, prev_n * sizeof(int16_t)) == 0;
    size_t from = 0;
    if (incremental) {
      from = prev_n;
    } else {
      if (utt_open) ps_end_utt(ps);
      cmn_live_set(feat->cmn_struct, cmn0);
      ps_start_utt(ps);
      utt_open = 1;
    }
    if (n > from) ps_process_raw(ps, cur + from, n - from, FALSE, FALSE);

    if (n > prev_cap) {
      prev_cap = n * 2;
      prev = realloc(prev, prev_cap * sizeof(int16_t));
    }
    memcpy(prev, cur, n * sizeof(int16_t));
    prev_n = n;
    free(cur);

    int32 score = 0;
    const char *hyp = ps_get_hyp(ps, &score);
    char line[512];
    out.len = 0;
    if (out.buf) out.buf[0] = 0;
    snprintf(line, sizeof line, "OK %d %d %zu\n", incremental, ps_get_n_frames(ps), n - from);
    sb_add(&out, line);
    sb_add(&out, hyp ? hyp : "");
    sb_add(&out, "\n");
    for (ps_seg_t *seg = ps_seg_iter(ps); seg != NULL; seg = ps_seg_next(seg)) {
      int sf = 0, ef = 0;
      int32 ascr, lscr, lback;
      int32 prob = ps_seg_prob(seg, &ascr, &lscr, &lback);
      ps_seg_frames(seg, &sf, &ef);
      snprintf(line, sizeof line, "%s\t%d\t%d\t%d\n", ps_seg_word(seg), sf, ef, prob);
      sb_add(&out, line);
    }
    reply(out.buf, out.len);
  }
  if (utt_open) ps_end_utt(ps);
  ps_free(ps);
  cmd_ln_free_r(config);
  return 0;
}
