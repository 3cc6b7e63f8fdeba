// Debian builds libxml2 with ICU, whose headers clash with the ICU copy inside Foundation.
// Only the private converter fields of xmlCharEncodingHandler depend on it, and we never
// touch that struct, so its ICU part is left out of our view of the headers.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
