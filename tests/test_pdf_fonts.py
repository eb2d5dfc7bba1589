"""The CJK collection fonts the PDF embeds through a copy without GDEF (see qmdoc.pdf_fonts)."""

import ctypes
import random
from pathlib import Path

import pytest
from fontTools.fontBuilder import FontBuilder
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTCollection, TTFont

from qmdoc import pdf_fonts

WQY = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")


def test_config_rejects_the_collection_and_adds_its_copies(tmp_path):
    source = Path("/fonts/a b&c.ttc")
    copies = [tmp_path / "x" / "a-0.ttf", tmp_path / "x" / "a-1.ttf"]
    assert pdf_fonts.config_text({source: copies}, Path("/etc/fonts/fonts.conf")) == (
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n<fontconfig>\n'
        '  <include ignore_missing="no">/etc/fonts/fonts.conf</include>\n'
        f"  <dir>{tmp_path / 'x'}</dir>\n"
        "  <selectfont><rejectfont><glob>/fonts/a b&amp;c.ttc</glob></rejectfont></selectfont>\n</fontconfig>\n")


def test_no_system_configuration_means_nothing_replaced(tmp_path):
    assert pdf_fonts.subsettable_config(tmp_path / "cache", system=tmp_path / "missing.conf") is None
    assert not (tmp_path / "cache").exists()


def test_a_font_without_gdef_is_not_copied(tmp_path):
    builder = FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder([".notdef"])
    builder.setupCharacterMap({})
    builder.setupGlyf({".notdef": TTGlyphPen(None).glyph()})
    builder.setupHorizontalMetrics({".notdef": (500, 0)})
    builder.setupHorizontalHeader(ascent=800, descent=-200)
    builder.setupNameTable({"familyName": "Plain", "styleName": "Regular"})
    builder.setupOS2()
    builder.setupPost()
    collection = TTCollection()
    collection.fonts = [builder.font]
    source = tmp_path / "plain.ttc"
    collection.save(source)
    assert pdf_fonts.derive(source, tmp_path / "cache") is None
    assert not (tmp_path / "cache").exists()


@pytest.fixture(scope="module")
def copies(tmp_path_factory) -> list[Path]:
    if not WQY.is_file():
        pytest.skip("WenQuanYi Micro Hei is not installed")
    return pdf_fonts.derive(WQY, tmp_path_factory.mktemp("fonts"))


def test_each_face_is_copied_whole_but_gdef(copies):
    with TTCollection(str(WQY), lazy=True) as collection:
        assert [p.name for p in copies] == [f"wqy-microhei-{i}.ttf" for i in range(len(collection.fonts))]
        for face, path in zip(collection.fonts, copies):
            with TTFont(path, lazy=True) as copy:
                assert "GDEF" in face and "GDEF" not in copy
                assert sorted(copy.keys()) == sorted(t for t in face.keys() if t != "GDEF")
                for tag in ("glyf", "loca", "cmap", "name", "hmtx", "vmtx", "GSUB", "GPOS"):
                    assert copy.reader[tag] == face.reader[tag], tag
                head, source_head = copy.reader["head"], face.reader["head"]  # bytes 8-11: the file's checksum
                assert head[:8] + head[12:] == source_head[:8] + source_head[12:]


def test_copies_are_the_same_bytes_every_time_and_reused(copies, tmp_path):
    again = pdf_fonts.derive(WQY, tmp_path)
    assert [p.read_bytes() for p in again] == [p.read_bytes() for p in copies]
    stamp = again[0].stat().st_mtime_ns
    assert pdf_fonts.derive(WQY, tmp_path) == again and again[0].stat().st_mtime_ns == stamp


def _harfbuzz_subsets(font: Path, glyphs: list[int]) -> bool:
    """HarfBuzz's subset of ``glyphs`` of ``font`` with retained glyph ids, as WeasyPrint asks for it."""
    hb, hs = ctypes.CDLL("libharfbuzz.so.0"), ctypes.CDLL("libharfbuzz-subset.so.0")
    pointer = ctypes.c_void_p
    hb.hb_blob_create_from_file.restype, hb.hb_blob_create_from_file.argtypes = pointer, [ctypes.c_char_p]
    hb.hb_face_create.restype, hb.hb_face_create.argtypes = pointer, [pointer, ctypes.c_uint]
    hs.hb_subset_input_create_or_fail.restype = pointer
    hs.hb_subset_input_glyph_set.restype, hs.hb_subset_input_glyph_set.argtypes = pointer, [pointer]
    hb.hb_set_add.argtypes = [pointer, ctypes.c_uint]
    hs.hb_subset_input_set_flags.argtypes = [pointer, ctypes.c_uint]
    hs.hb_subset_or_fail.restype, hs.hb_subset_or_fail.argtypes = pointer, [pointer, pointer]
    face = hb.hb_face_create(hb.hb_blob_create_from_file(str(font).encode()), 0)
    request = hs.hb_subset_input_create_or_fail()
    kept = hs.hb_subset_input_glyph_set(request)
    for glyph in glyphs:
        hb.hb_set_add(kept, glyph)
    hs.hb_subset_input_set_flags(request, 0x2 | 0x4 | 0x200)  # retain gids, desubroutinize, passthrough
    return bool(hs.hb_subset_or_fail(face, request))


def test_harfbuzz_subsets_the_copy_where_it_fails_on_the_collection(copies):
    glyphs = random.Random(1).sample(range(1, 40000), 1500)
    assert not _harfbuzz_subsets(WQY, glyphs)  # the failure the copies exist for
    assert _harfbuzz_subsets(copies[0], glyphs)
