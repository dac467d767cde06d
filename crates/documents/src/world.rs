//! The typesetter's whole world: the template, the bundled fonts, and the one document's data
//! and logo as virtual files. No system fonts, no file system, no network, no packages.
//!
//! The standard library, the fonts and the parsed template are made once and shared by every
//! render; a render adds only its data.

use std::sync::LazyLock;

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

const TEMPLATE: &str = include_str!("../templates/document.typ");

/// Vazirmatn (SIL Open Font License 1.1): Persian and Latin in one family.
const FONTS: [&[u8]; 2] = [include_bytes!("../fonts/Vazirmatn-Regular.ttf"), include_bytes!("../fonts/Vazirmatn-Bold.ttf")];

/// Where the template finds the document's data and its logo.
const MAIN_PATH: &str = "/document.typ";
const DATA_PATH: &str = "/document.json";
const LOGO_PATH: &str = "/logo";

struct Shared {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
    main: Source,
    data_id: FileId,
    logo_id: FileId,
}

static SHARED: LazyLock<Shared> = LazyLock::new(|| {
    let fonts: Vec<Font> = FONTS.iter().flat_map(|data| Font::iter(Bytes::new(*data))).collect();
    assert_eq!(fonts.len(), FONTS.len(), "every bundled font parses");
    Shared {
        library: LazyHash::new(Library::default()),
        book: LazyHash::new(FontBook::from_fonts(&fonts)),
        fonts,
        main: Source::new(file_id(MAIN_PATH), TEMPLATE.to_owned()),
        data_id: file_id(DATA_PATH),
        logo_id: file_id(LOGO_PATH),
    }
});

/// File ids are interned for the life of the process, so each path is made once.
fn file_id(path: &str) -> FileId {
    RootedPath::new(VirtualRoot::Project, VirtualPath::new(path).expect("an absolute virtual path")).intern()
}

/// One document's world: the shared parts and its data.
pub(crate) struct DocumentWorld {
    data: Bytes,
    logo: Option<Bytes>,
}

impl DocumentWorld {
    pub(crate) fn new(data: Vec<u8>, logo: Option<Vec<u8>>) -> DocumentWorld {
        DocumentWorld { data: Bytes::new(data), logo: logo.map(Bytes::new) }
    }
}

impl World for DocumentWorld {
    fn library(&self) -> &LazyHash<Library> {
        &SHARED.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &SHARED.book
    }

    fn main(&self) -> FileId {
        SHARED.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == SHARED.main.id() { Ok(SHARED.main.clone()) } else { Err(FileError::NotSource) }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == SHARED.data_id {
            return Ok(self.data.clone());
        }
        if id == SHARED.logo_id
            && let Some(logo) = &self.logo
        {
            return Ok(logo.clone());
        }
        Err(FileError::NotFound(id.vpath().get_without_slash().into()))
    }

    fn font(&self, index: usize) -> Option<Font> {
        SHARED.fonts.get(index).cloned()
    }

    /// Documents print the dates they are given, never today's.
    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        None
    }
}
