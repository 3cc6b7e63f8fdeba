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

/// One copy to make: `width` 0 for the full size (an image is never enlarged), in `format` at
/// `quality`; `out` is filled when it was made.
typedef struct {
    int width;
    localgov_image_format format;
    int quality;
    localgov_encoded_image out;
} localgov_copy_request;

/// Decodes the whole image once (failing on a truncated or damaged file), turns it upright,
/// leaves out every piece of metadata (EXIF, GPS, XMP, IPTC; a colour profile is applied
/// first), and writes each requested copy; give the requests widest first, as each width is
/// made from the one before. 0 when every
/// copy was made; free each copy's bytes with localgov_vips_free.
int localgov_vips_make_copies(const void *bytes, size_t length, localgov_copy_request *requests, int count);

void localgov_vips_free(void *bytes);

void localgov_vips_clear_error(void);

/// libvips's error text since the last call, as a string to free with localgov_vips_free, or
/// NULL. libvips keeps one buffer for the whole process.
char *localgov_vips_take_error(void);

#endif
