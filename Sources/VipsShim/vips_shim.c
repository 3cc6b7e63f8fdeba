#include "vips_shim.h"

#define _GNU_SOURCE
#include <string.h>
#include <vips/vips.h>
#include <vips/vector.h>

static void ignore_log(const gchar *domain, GLogLevelFlags level, const gchar *message, gpointer data) {}

int localgov_vips_start(void) {
    // 1 once libvips failed to start, 2 once it started: g_once needs a value that is not 0.
    static gsize state = 0;
    if (g_once_init_enter(&state)) {
        // A damaged file is reported by the build, once, at the line that uses it; libvips's own
        // warnings on standard error would only repeat it out of place.
        g_log_set_handler("VIPS", G_LOG_LEVEL_WARNING | G_LOG_LEVEL_MESSAGE, ignore_log, NULL);
        gsize result = VIPS_INIT("localgov") == 0 ? 2 : 1;
        if (result == 2) {
            // The generator runs one image per core itself; libvips's own threads would only
            // compete with it. Its operation cache would hold every photo of a site in memory.
            vips_concurrency_set(1);
            vips_cache_set_max(0);
            // Orc, the run-time code generator behind libvips's vector paths, crashed a build
            // that resized images on several threads at once (a null dereference inside
            // liborc 0.4.33). libvips's plain C paths give the same images without it.
            vips_vector_set_enabled(FALSE);
        }
        g_once_init_leave(&state, result);
    }
    return state == 2 ? 0 : -1;
}

const char *localgov_vips_version(void) { return vips_version_string(); }

int localgov_vips_can_save_gif(void) { return vips_type_find("VipsOperation", "gifsave_buffer") != 0; }

static localgov_image_format format_of(const void *bytes, size_t length) {
    const char *loader = vips_foreign_find_load_buffer(bytes, length);
    if (loader == NULL) {
        vips_error_clear();
        return LOCALGOV_IMAGE_UNKNOWN;
    }
    // Loader class names such as VipsForeignLoadJpegBuffer, VipsForeignLoadSpngBuffer and
    // VipsForeignLoadNsgifBuffer: the library each wraps is in the name, in any case.
    if (strcasestr(loader, "jpeg")) return LOCALGOV_IMAGE_JPEG;
    if (strcasestr(loader, "png")) return LOCALGOV_IMAGE_PNG;
    if (strcasestr(loader, "webp")) return LOCALGOV_IMAGE_WEBP;
    if (strcasestr(loader, "gif")) return LOCALGOV_IMAGE_GIF;
    return LOCALGOV_IMAGE_UNKNOWN;
}

int localgov_vips_header(const void *bytes, size_t length, localgov_image_header *header) {
    header->format = format_of(bytes, length);
    if (header->format == LOCALGOV_IMAGE_UNKNOWN) {
        vips_error("localgov", "%s", "not a JPEG, PNG, WebP or GIF image");
        return -1;
    }
    VipsImage *image = vips_image_new_from_buffer(bytes, length, "", NULL);
    if (image == NULL) return -1;
    int swap = vips_image_get_orientation_swap(image);
    int width = vips_image_get_width(image);
    int height = vips_image_get_page_height(image);
    header->width = swap ? height : width;
    header->height = swap ? width : height;
    header->pages = vips_image_get_n_pages(image);
    g_object_unref(image);
    return 0;
}

/// Fields an animation needs to be written again; every other piece of metadata goes.
static int is_kept_field(const char *name) {
    static const char *kept[] = {"page-height", "n-pages", "delay", "loop", "gif-delay", "gif-loop", NULL};
    for (int i = 0; kept[i] != NULL; i++) {
        if (strcmp(name, kept[i]) == 0) return 1;
    }
    return 0;
}

/// The image in sRGB (where it carried a colour profile, so colours stay as the camera meant
/// once the profile is gone) with no metadata: savers' own "strip" is not enough, as libvips
/// 8.14's WebP saver writes EXIF and XMP whatever it is told.
static int without_metadata(VipsImage *in, VipsImage **out) {
    VipsImage *srgb = NULL;
    if (vips_image_get_typeof(in, VIPS_META_ICC_NAME) == 0
        || vips_icc_transform(in, &srgb, "srgb", "embedded", TRUE, "intent", VIPS_INTENT_PERCEPTUAL, NULL) != 0) {
        vips_error_clear();
        srgb = in;
        g_object_ref(in);
    }
    int copied = vips_copy(srgb, out, NULL);
    g_object_unref(srgb);
    if (copied != 0) return -1;
    gchar **fields = vips_image_get_fields(*out);
    for (int i = 0; fields[i] != NULL; i++) {
        if (!is_kept_field(fields[i])) vips_image_remove(*out, fields[i]);
    }
    g_strfreev(fields);
    return 0;
}

static int save(VipsImage *image, localgov_image_format format, int quality, localgov_encoded_image *out) {
    int result;
    switch (format) {
    case LOCALGOV_IMAGE_JPEG:
        // Progressive for the copies readers load, which then show at once, blurred, and sharpen;
        // for a camera-sized original it costs three times the time for a file 2% smaller.
        result = vips_jpegsave_buffer(
            image, &out->bytes, &out->length, "Q", quality, "strip", TRUE, "optimize_coding", TRUE, "interlace",
            (double)vips_image_get_width(image) * vips_image_get_height(image) <= 4e6, NULL);
        break;
    case LOCALGOV_IMAGE_PNG:
        // zlib's level 6, libvips's own default: level 9 made the sample site's PNGs 3% smaller
        // and took half as long again, most of a first build's picture work. Browsers that read
        // WebP take the WebP copies.
        result = vips_pngsave_buffer(image, &out->bytes, &out->length, "strip", TRUE, "compression", 6, NULL);
        break;
    case LOCALGOV_IMAGE_WEBP:
        result = vips_webpsave_buffer(image, &out->bytes, &out->length, "Q", quality, "strip", TRUE, NULL);
        break;
    case LOCALGOV_IMAGE_GIF:
        result = vips_gifsave_buffer(image, &out->bytes, &out->length, "strip", TRUE, NULL);
        break;
    default:
        vips_error("localgov", "%s", "cannot write that format");
        result = -1;
    }
    if (result == 0) {
        out->width = vips_image_get_width(image);
        out->height = vips_image_get_page_height(image);
    }
    return result;
}

/// The image decoded into memory, upright, without metadata: every copy is made from this one
/// decode, and decoding every pixel is what finds a truncated or damaged file (vips_thumbnail
/// reads through a tile cache that fills a failed tile with black and carries on).
static VipsImage *decoded_upright(const void *bytes, size_t length) {
    localgov_image_format source = format_of(bytes, length);
    // Every frame of an animation, not only the first.
    const char *options = source == LOCALGOV_IMAGE_GIF || source == LOCALGOV_IMAGE_WEBP ? "n=-1" : "";
    VipsImage *loaded = vips_image_new_from_buffer(bytes, length, options, "fail_on", VIPS_FAIL_ON_TRUNCATED, NULL);
    if (loaded == NULL) return NULL;
    VipsImage *upright = NULL;
    int rotated = vips_autorot(loaded, &upright, NULL);
    g_object_unref(loaded);
    if (rotated != 0) return NULL;
    VipsImage *clean = NULL;
    int cleaned = without_metadata(upright, &clean);
    g_object_unref(upright);
    if (cleaned != 0) return NULL;
    VipsImage *decoded = vips_image_copy_memory(clean);
    g_object_unref(clean);
    return decoded;
}

int localgov_vips_make_copies(const void *bytes, size_t length, localgov_copy_request *requests, int count) {
    VipsImage *decoded = decoded_upright(bytes, length);
    if (decoded == NULL) return -1;
    // Each width is made from the one before it, widest first: libvips 8.14 takes ten times as
    // long to shrink a camera-sized photo to a quarter in one step as in steps of at most two.
    VipsImage *resized = decoded;
    int result = 0;
    for (int i = 0; i < count && result == 0; i++) {
        int width = vips_image_get_width(resized);
        if (requests[i].width > 0 && requests[i].width < width) {
            // In memory, as each width is written in two formats and the next is made from it.
            VipsImage *scaled = NULL;
            VipsImage *smaller = NULL;
            if (vips_resize(resized, &scaled, (double)requests[i].width / width, "kernel", VIPS_KERNEL_LANCZOS3, NULL) == 0) {
                smaller = vips_image_copy_memory(scaled);
                g_object_unref(scaled);
            }
            g_object_unref(resized);
            resized = smaller;
            if (resized == NULL) {
                result = -1;
                break;
            }
        }
        result = save(resized, requests[i].format, requests[i].quality, &requests[i].out);
    }
    if (resized != NULL) g_object_unref(resized);
    if (result != 0) {
        for (int i = 0; i < count; i++) {
            g_free(requests[i].out.bytes);
            requests[i].out.bytes = NULL;
        }
    }
    return result;
}

void localgov_vips_free(void *bytes) { g_free(bytes); }

void localgov_vips_clear_error(void) { vips_error_clear(); }

char *localgov_vips_take_error(void) {
    const char *text = vips_error_buffer();
    if (text == NULL || text[0] == '\0') return NULL;
    return vips_error_buffer_copy();
}
