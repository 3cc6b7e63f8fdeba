// What the generator needs of libvips, as plain functions: libvips's own API takes its options
// as C variadic arguments, which Swift cannot call.
#ifndef LOCALGOV_VIPS_SHIM_H
#define LOCALGOV_VIPS_SHIM_H

#include <stddef.h>

typedef enum {
    LOCALGOV_IMAGE_UNKNOWN = 0,
    LOCALGOV_IMAGE_JPEG,
    LOCALGOV_IMAGE_PNG,
    LOCALGOV_IMAGE_WEBP,
    LOCALGOV_IMAGE_GIF,
} localgov_image_format;

typedef struct {
    localgov_image_format format;
    /// As a reader sees it: with the EXIF orientation applied.
    int width;
    int height;
    int pages;
} localgov_image_header;

typedef struct {
    void *bytes;
    size_t length;
    int width;
    int height;
} localgov_encoded_image;

/// Starts libvips once per process. 0 on success.
int localgov_vips_start(void);

/// The version of libvips linked, e.g. "8.14.1": part of every cache key.
const char *localgov_vips_version(void);

/// Whether this libvips can write GIF (it needs cgif, an optional dependency).
int localgov_vips_can_save_gif(void);

/// Reads only the header. 0 on success; otherwise see localgov_vips_take_error.
int localgov_vips_header(const void *bytes, size_t length, localgov_image_header *header);

/// Decodes the whole image, turns it upright, shrinks it to `width` (never enlarges; 0 for the
/// full size, which fails on a truncated or damaged file), and encodes it as `format` at `quality` with every piece of metadata
/// (EXIF, GPS, XMP, IPTC, ICC) left out. 0 on success; free the bytes with localgov_vips_free.
int localgov_vips_encode(
    const void *bytes, size_t length, int width, localgov_image_format format, int quality, localgov_encoded_image *out);

void localgov_vips_free(void *bytes);

void localgov_vips_clear_error(void);

/// libvips's error text since the last call, as a string to free with localgov_vips_free, or
/// NULL. libvips keeps one buffer for the whole process.
char *localgov_vips_take_error(void);

#endif
