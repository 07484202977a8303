/**
 * Type categories of the search filters (`type:images`): which category a file belongs to, decided by
 * its extension first and by its MIME type when the extension says nothing. Pure: the engine uses it
 * when it indexes items and builds SQL filters, the renderer when it shows chips and icons.
 *
 * Decisions worth knowing:
 * - An extension is what follows the LAST dot of the name, lower-cased; a leading dot does not start
 *   one (`.bashrc` has none) and neither does a trailing one (`notes.`). So `backup.tar.gz` is `gz`,
 *   an archive, like `.tgz`, `.tar.xz`, `.tar.zst`.
 * - Each extension belongs to exactly one category. Plain text (`txt`, `md`, `rtf`, `tex`) is a
 *   document; `csv`/`tsv` are spreadsheets; data and configuration formats (`json`, `yaml`, `toml`,
 *   `xml`, `ini`) and web pages (`html`, `css`) are code; `svg` is an image; `epub` is a document.
 * - Clashing extensions: `ts` is TypeScript (code), while `mts`/`m2ts` are AVCHD / MPEG transport
 *   stream video (what cameras write); `ogg` is audio (`ogv` is video); `m` is Objective-C/MATLAB code.
 * - A known extension wins over the MIME type (services often guess `application/octet-stream`); an
 *   unknown or missing extension falls back to the MIME type (Google Docs, Sheets and Slides have no
 *   extension, only `application/vnd.google-apps.*`). Folders and shortcuts have no category.
 */
import type { SearchCategory } from './search';
import { searchCategories } from './search';

/** The lists are space-separated words, to keep the table readable. */
const words = (text: string): readonly string[] =>
  Object.freeze(
    text
      .replace(/#[^\n]*/g, '')
      .trim()
      .split(/\s+/),
  );

const extensionTable: Readonly<Record<SearchCategory, readonly string[]>> = {
  images: words(`
    jpg jpeg jpe jfif png apng gif bmp dib tif tiff webp heic heif
    avif jxl jp2 svg svgz ico icns tga exr hdr psd psb xcf ai
    eps odg kra
    # camera raw:
    raw dng cr2 cr3 crw nef nrw arw srf sr2 orf raf rw2 rwl
    pef srw x3f erf kdc dcr mrw 3fr iiq mos
  `),
  documents: words(`
    pdf doc docx docm dot dotx dotm odt ott fodt rtf txt text
    md markdown rst adoc asciidoc org tex pages wpd wps xps oxps
    epub mobi azw azw3 djvu fb2 one gdoc
  `),
  spreadsheets: words(`
    xls xlsx xlsm xlsb xlt xltx xltm ods ots fods csv tsv numbers
    gsheet
  `),
  presentations: words(`
    ppt pptx pptm pps ppsx ppsm pot potx potm odp otp fodp key
    gslides
  `),
  video: words(`
    mp4 m4v mov qt avi mkv webm wmv flv f4v mpg mpeg mpe m2v
    mts m2ts 3gp 3g2 ogv vob mxf asf rm rmvb divx insv braw
  `),
  audio: words(`
    mp3 wav flac aac m4a m4b ogg oga opus wma aif aiff aifc ape
    wv alac mid midi amr caf dsf dff mka au ra
  `),
  archives: words(`
    zip zipx 7z rar tar gz tgz bz2 tbz tbz2 xz txz zst tzst
    lz lzma lz4 z cab arj cpio sit sitx dmg iso jar war apk
    deb rpm
  `),
  code: words(`
    js mjs cjs jsx ts cts tsx py pyw pyi ipynb rb php java
    kt kts scala groovy go rs c h cc cpp cxx hpp hh hxx cs
    fs fsx vb swift m mm r jl pl pm lua dart hs elm clj
    cljs ex exs erl zig nim ml mli sol asm sql graphql gql
    proto vue svelte astro
    sh bash zsh fish ps1 psm1 bat cmd mk cmake gradle tf hcl
    html htm xhtml css scss sass less
    json jsonc json5 ndjson yaml yml toml xml xsd xsl ini cfg
    conf properties plist diff patch
  `),
};

const categoryByExtension = new Map<string, SearchCategory>();
for (const category of searchCategories) {
  for (const extension of extensionTable[category]) categoryByExtension.set(extension, category);
}

/**
 * The extension of a name as the search filters see it: lower case, without the dot, after the last
 * dot; `null` when there is none (`README`, `.bashrc`, `notes.`). `backup.tar.gz` -> `gz`.
 */
export function extensionOf(name: string): string | null {
  const dot = name.lastIndexOf('.');
  if (dot <= 0 || dot === name.length - 1) return null;
  return name.slice(dot + 1).toLowerCase();
}

/** The extensions of a category (lower case, no dot), for SQL filters. Each extension is in one category. */
export function extensionsOf(category: SearchCategory): readonly string[] {
  return extensionTable[category];
}

const googleAppsCategories: ReadonlyMap<string, SearchCategory> = new Map(
  Object.entries({
    document: 'documents',
    kix: 'documents',
    spreadsheet: 'spreadsheets',
    ritz: 'spreadsheets',
    fusiontable: 'spreadsheets',
    presentation: 'presentations',
    punch: 'presentations',
    drawing: 'images',
    photo: 'images',
    video: 'video',
    audio: 'audio',
    script: 'code',
  } satisfies Record<string, SearchCategory>),
);

const mimeCategories: ReadonlyMap<string, SearchCategory> = new Map(
  Object.entries({
    'application/pdf': 'documents',
    'application/msword': 'documents',
    'application/rtf': 'documents',
    'application/x-rtf': 'documents',
    'application/epub+zip': 'documents',
    'application/vnd.apple.pages': 'documents',
    'application/x-iwork-pages-sffpages': 'documents',
    'application/vnd.ms-word': 'documents',
    'application/vnd.ms-xpsdocument': 'documents',
    'application/oxps': 'documents',
    'image/vnd.djvu': 'documents',
    'text/plain': 'documents',
    'text/markdown': 'documents',
    'text/x-markdown': 'documents',
    'text/rtf': 'documents',
    'text/richtext': 'documents',
    'application/vnd.ms-excel': 'spreadsheets',
    'application/vnd.apple.numbers': 'spreadsheets',
    'application/x-iwork-numbers-sffnumbers': 'spreadsheets',
    'text/csv': 'spreadsheets',
    'text/tab-separated-values': 'spreadsheets',
    'application/csv': 'spreadsheets',
    'application/vnd.ms-powerpoint': 'presentations',
    'application/vnd.apple.keynote': 'presentations',
    'application/x-iwork-keynote-sffkey': 'presentations',
    'application/zip': 'archives',
    'application/x-zip': 'archives',
    'application/x-zip-compressed': 'archives',
    'application/x-7z-compressed': 'archives',
    'application/vnd.rar': 'archives',
    'application/x-rar': 'archives',
    'application/x-rar-compressed': 'archives',
    'application/x-tar': 'archives',
    'application/x-gtar': 'archives',
    'application/gzip': 'archives',
    'application/x-gzip': 'archives',
    'application/x-bzip': 'archives',
    'application/x-bzip2': 'archives',
    'application/x-xz': 'archives',
    'application/zstd': 'archives',
    'application/x-zstd': 'archives',
    'application/x-lzma': 'archives',
    'application/x-lzip': 'archives',
    'application/x-lz4': 'archives',
    'application/x-compress': 'archives',
    'application/vnd.ms-cab-compressed': 'archives',
    'application/x-cpio': 'archives',
    'application/x-stuffit': 'archives',
    'application/x-apple-diskimage': 'archives',
    'application/x-iso9660-image': 'archives',
    'application/java-archive': 'archives',
    'application/vnd.android.package-archive': 'archives',
    'application/vnd.debian.binary-package': 'archives',
    'application/x-rpm': 'archives',
    'application/json': 'code',
    'application/xml': 'code',
    'application/javascript': 'code',
    'application/x-javascript': 'code',
    'application/ecmascript': 'code',
    'application/typescript': 'code',
    'application/x-typescript': 'code',
    'application/x-sh': 'code',
    'application/x-csh': 'code',
    'application/x-python': 'code',
    'application/x-python-code': 'code',
    'application/x-httpd-php': 'code',
    'application/x-php': 'code',
    'application/sql': 'code',
    'application/graphql': 'code',
    'application/yaml': 'code',
    'application/x-yaml': 'code',
    'application/toml': 'code',
    'application/x-ipynb+json': 'code',
    'application/xhtml+xml': 'code',
    'application/x-perl': 'code',
    'application/x-ruby': 'code',
  } satisfies Record<string, SearchCategory>),
);

/** Text types that are neither documents nor code (calendars, contacts): no category. */
const uncategorizedText = new Set(['text/calendar', 'text/vcard', 'text/x-vcard', 'text/directory']);

function categoryOfMimeType(mimeType: string): SearchCategory | null {
  const mime = (mimeType.split(';')[0] ?? '').trim().toLowerCase();
  const slash = mime.indexOf('/');
  if (slash <= 0) return null;
  const top = mime.slice(0, slash);
  const sub = mime.slice(slash + 1);

  const exact = mimeCategories.get(mime);
  if (exact) return exact;
  if (mime.startsWith('application/vnd.google-apps.')) {
    return googleAppsCategories.get(mime.slice('application/vnd.google-apps.'.length)) ?? null;
  }
  if (top === 'image') return 'images';
  if (top === 'video') return 'video';
  if (top === 'audio') return 'audio';

  // Office Open XML, OpenDocument and their macro/template variants.
  if (/^application\/vnd\.openxmlformats-officedocument\.wordprocessingml\./.test(mime)) return 'documents';
  if (/^application\/vnd\.openxmlformats-officedocument\.spreadsheetml\./.test(mime)) return 'spreadsheets';
  if (/^application\/vnd\.openxmlformats-officedocument\.presentationml\./.test(mime)) {
    return 'presentations';
  }
  if (/^application\/vnd\.ms-word\./.test(mime)) return 'documents';
  if (/^application\/vnd\.ms-excel\./.test(mime)) return 'spreadsheets';
  if (/^application\/vnd\.ms-powerpoint\./.test(mime)) return 'presentations';
  if (/^application\/vnd\.oasis\.opendocument\.text(-|$)/.test(mime)) return 'documents';
  if (/^application\/vnd\.oasis\.opendocument\.spreadsheet(-|$)/.test(mime)) return 'spreadsheets';
  if (/^application\/vnd\.oasis\.opendocument\.presentation(-|$)/.test(mime)) return 'presentations';
  if (/^application\/vnd\.oasis\.opendocument\.graphics(-|$)/.test(mime)) return 'images';

  if (top === 'text') return uncategorizedText.has(mime) ? null : 'code';
  // Structured-syntax suffixes (RFC 6839): `application/ld+json`, `application/atom+xml`.
  if (top === 'application' && (sub.endsWith('+json') || sub.endsWith('+xml'))) return 'code';
  return null;
}

/**
 * The category of a file: by its extension (case-insensitive) when the table knows it, otherwise by its
 * MIME type (parameters such as `; charset=utf-8` ignored); `null` when neither says anything.
 */
export function categoryOf(name: string, mimeType: string | null): SearchCategory | null {
  const extension = extensionOf(name);
  if (extension !== null) {
    const category = categoryByExtension.get(extension);
    if (category) return category;
  }
  return mimeType ? categoryOfMimeType(mimeType) : null;
}
