/*
 * Test-harness stand-in for Windows' system icuuc.dll (ICU's common library, in System32 since
 * Windows 10 1903). NEVER SHIPPED: it is built and used only to run the Windows bundle under Wine 8,
 * which has no icuuc.dll. Qt6Core.dll imports these 20 converter functions from it; every
 * converter is reported as unavailable, so Qt keeps to its own UTF-8/UTF-16/Latin-1 codecs, which
 * are all jswcoder uses. The signatures follow ICU's ucnv.h and ucnv_cb.h (opaque pointers as void *).
 */
#include <stddef.h>
#include <stdint.h>

typedef int32_t UErrorCode;
typedef int8_t UBool;
typedef uint16_t UChar;

#define U_ZERO_ERROR 0
#define U_ILLEGAL_ARGUMENT_ERROR 1
#define U_FILE_ACCESS_ERROR 4

#define EXPORT /* exported by icuuc.def */

static int failed(UErrorCode *err) { return err == NULL || *err > U_ZERO_ERROR; }

static void fail(UErrorCode *err, UErrorCode code) {
    if (!failed(err)) *err = code;
}

EXPORT void *ucnv_open(const char *name, UErrorCode *err) {
    (void)name;
    fail(err, U_FILE_ACCESS_ERROR); /* what ICU says when it has no data for a converter */
    return NULL;
}

EXPORT void ucnv_close(void *cnv) { (void)cnv; }

EXPORT void ucnv_reset(void *cnv) { (void)cnv; }

EXPORT int8_t ucnv_getMaxCharSize(const void *cnv) { (void)cnv; return 1; }

EXPORT const char *ucnv_getName(const void *cnv, UErrorCode *err) {
    (void)cnv;
    fail(err, U_ILLEGAL_ARGUMENT_ERROR);
    return NULL;
}

EXPORT void ucnv_getToUCallBack(const void *cnv, void **action, const void **context) {
    (void)cnv;
    if (action) *action = NULL;
    if (context) *context = NULL;
}

EXPORT void ucnv_getFromUCallBack(const void *cnv, void **action, const void **context) {
    (void)cnv;
    if (action) *action = NULL;
    if (context) *context = NULL;
}

EXPORT void ucnv_setToUCallBack(void *cnv, void *action, const void *context, void **oldAction,
                                const void **oldContext, UErrorCode *err) {
    (void)cnv; (void)action; (void)context;
    if (oldAction) *oldAction = NULL;
    if (oldContext) *oldContext = NULL;
    fail(err, U_ILLEGAL_ARGUMENT_ERROR);
}

EXPORT void ucnv_setFromUCallBack(void *cnv, void *action, const void *context, void **oldAction,
                                  const void **oldContext, UErrorCode *err) {
    (void)cnv; (void)action; (void)context;
    if (oldAction) *oldAction = NULL;
    if (oldContext) *oldContext = NULL;
    fail(err, U_ILLEGAL_ARGUMENT_ERROR);
}

EXPORT void ucnv_toUnicode(void *cnv, UChar **target, const UChar *targetLimit, const char **source,
                           const char *sourceLimit, int32_t *offsets, UBool flush, UErrorCode *err) {
    (void)cnv; (void)target; (void)targetLimit; (void)source; (void)sourceLimit; (void)offsets; (void)flush;
    fail(err, U_ILLEGAL_ARGUMENT_ERROR);
}

EXPORT void ucnv_fromUnicode(void *cnv, char **target, const char *targetLimit, const UChar **source,
                             const UChar *sourceLimit, int32_t *offsets, UBool flush, UErrorCode *err) {
    (void)cnv; (void)target; (void)targetLimit; (void)source; (void)sourceLimit; (void)offsets; (void)flush;
    fail(err, U_ILLEGAL_ARGUMENT_ERROR);
}

EXPORT int32_t ucnv_toUCountPending(const void *cnv, UErrorCode *err) {
    (void)cnv;
    fail(err, U_ILLEGAL_ARGUMENT_ERROR);
    return 0;
}

EXPORT int32_t ucnv_fromUCountPending(const void *cnv, UErrorCode *err) {
    (void)cnv;
    fail(err, U_ILLEGAL_ARGUMENT_ERROR);
    return 0;
}

EXPORT void ucnv_cbToUWriteUChars(void *args, const UChar *source, int32_t length, int32_t offsetIndex,
                                  UErrorCode *err) {
    (void)args; (void)source; (void)length; (void)offsetIndex;
    fail(err, U_ILLEGAL_ARGUMENT_ERROR);
}

EXPORT void ucnv_cbFromUWriteUChars(void *args, const UChar **source, const UChar *sourceLimit,
                                    int32_t offsetIndex, UErrorCode *err) {
    (void)args; (void)source; (void)sourceLimit; (void)offsetIndex;
    fail(err, U_ILLEGAL_ARGUMENT_ERROR);
}

EXPORT void UCNV_FROM_U_CALLBACK_SUBSTITUTE(const void *context, void *fromUArgs, const UChar *codeUnits,
                                            int32_t length, int32_t codePoint, int reason, UErrorCode *err) {
    (void)context; (void)fromUArgs; (void)codeUnits; (void)length; (void)codePoint; (void)reason; (void)err;
}

EXPORT void UCNV_TO_U_CALLBACK_SUBSTITUTE(const void *context, void *toUArgs, const char *codeUnits,
                                          int32_t length, int reason, UErrorCode *err) {
    (void)context; (void)toUArgs; (void)codeUnits; (void)length; (void)reason; (void)err;
}

EXPORT int32_t ucnv_countAvailable(void) { return 0; }

EXPORT const char *ucnv_getAvailableName(int32_t n) { (void)n; return NULL; }

EXPORT const char *ucnv_getStandardName(const char *name, const char *standard, UErrorCode *err) {
    (void)name; (void)standard;
    fail(err, U_ILLEGAL_ARGUMENT_ERROR);
    return NULL;
}
