//! Text on the PNG charts, each glyph drawn where the font places it.
//!
//! plotters' own text drawing (0.3.7, feature `ab_glyph`) starts each glyph's ink at the
//! pen position, leaving out the glyph's left side bearing (the room the font puts before
//! its ink). A `1`, whose bearing is wide, then sits to the left of its place and a `_`,
//! whose bearing is nil, where it should: `q1_clear_purpose` read as `q1 _clear_purpose`.
//! [`PlacedText`] wraps the bitmap backend, draws everything else through it unchanged and
//! draws text itself: glyphs laid out by their advances and kerning, each outlined at its
//! position (a fraction of a pixel kept) and its ink put where its bounds say. A line of
//! text keeps plotters' vertical placement, so a label sits where it sat before.

use ab_glyph::{Font, FontRef, GlyphId, ScaleFont, point};
use plotters::prelude::DrawingBackend;
use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind, FontStyle,
    FontTransform,
};

/// A drawing backend whose text is drawn by [`PlacedText::draw_text`]; all else is `B`'s.
pub struct PlacedText<B>(pub B);

/// The embedded DejaVu Sans, regular and bold, read once.
fn font(style: FontStyle) -> &'static FontRef<'static> {
    static FONTS: std::sync::OnceLock<[FontRef<'static>; 2]> = std::sync::OnceLock::new();
    let [regular, bold] = FONTS.get_or_init(|| {
        [dejavu::sans::regular(), dejavu::sans::bold()]
            .map(|bytes| FontRef::try_from_slice(bytes).expect("the embedded DejaVu Sans is valid"))
    });
    match style {
        FontStyle::Bold => bold,
        _ => regular,
    }
}

/// Each glyph of `text` and its pen position from the line's start, in pixels, and the
/// line's width: advances, with the font's kerning between neighbours.
fn laid_out<F: Font>(font: &impl ScaleFont<F>, text: &str) -> (Vec<(GlyphId, f32)>, f32) {
    let mut pen = 0.0;
    let mut previous = None;
    let glyphs = text
        .chars()
        .map(|c| {
            let id = font.glyph_id(c);
            if let Some(previous) = previous {
                pen += font.kern(previous, id);
            }
            previous = Some(id);
            let at = pen;
            pen += font.h_advance(id);
            (id, at)
        })
        .collect();
    (glyphs, pen)
}

impl<B: DrawingBackend> DrawingBackend for PlacedText<B> {
    type ErrorType = B::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        self.0.get_size()
    }

    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.ensure_prepared()
    }

    fn present(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.present()
    }

    fn draw_pixel(
        &mut self,
        point: BackendCoord,
        color: BackendColor,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.draw_pixel(point, color)
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.draw_line(from, to, style)
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.draw_rect(upper_left, bottom_right, style, fill)
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.draw_path(path, style)
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.draw_circle(center, radius, style, fill)
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.fill_polygon(vert, style)
    }

    fn blit_bitmap(
        &mut self,
        pos: BackendCoord,
        (width, height): (u32, u32),
        source: &[u8],
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.blit_bitmap(pos, (width, height), source)
    }

    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        pos: BackendCoord,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        // the charts write no turned text; plotters draws any that comes
        if !matches!(style.transform(), FontTransform::None) {
            return self.0.draw_text(text, style, pos);
        }
        let color = style.color();
        if color.alpha == 0.0 {
            return Ok(());
        }
        let size = style.size() as f32;
        let font = font(style.style()).as_scaled(size);
        let (glyphs, width) = laid_out(&font, text);
        let anchor = style.anchor();
        let left = pos.0 as f32
            + match anchor.h_pos {
                HPos::Left => 0.0,
                HPos::Right => -width,
                HPos::Center => -width / 2.0,
            };
        // plotters' line box is size / 1.24 high with the baseline half the size below its
        // top, whole pixels as it counts them
        let height = (style.size() / 1.24) as i32;
        let top = pos.1
            + match anchor.v_pos {
                VPos::Top => 0,
                VPos::Center => -height / 2,
                VPos::Bottom => -height,
            };
        let baseline = top as f32 + size / 2.0;
        let (columns, rows) = self.get_size();
        let inside = |x: i32, y: i32| x >= 0 && y >= 0 && x < columns as i32 && y < rows as i32;
        for (id, at) in glyphs {
            let glyph = id.with_scale_and_position(size, point(left + at, baseline));
            let Some(outlined) = font.outline_glyph(glyph) else { continue };
            let bounds = outlined.px_bounds();
            let mut drawn = Ok(());
            outlined.draw(|x, y, coverage| {
                let (x, y) = (bounds.min.x as i32 + x as i32, bounds.min.y as i32 + y as i32);
                if drawn.is_ok() && coverage > 0.0 && inside(x, y) {
                    let ink = BackendColor { alpha: color.alpha * f64::from(coverage), ..color };
                    drawn = self.0.draw_pixel((x, y), ink);
                }
            });
            drawn?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use plotters::prelude::*;
    use plotters::style::text_anchor::Pos;

    const SIZE: u32 = 100;

    /// `text` drawn black on white at `size` with its anchor at (`x`, 60) on a 400 × 120
    /// image: for each column, whether any pixel in it is dark.
    fn inked_columns(text: &str, x: i32, h_pos: HPos) -> Vec<bool> {
        crate::chart::draw::register_fonts();
        let (width, height) = (400u32, 120u32);
        let mut pixels = vec![255u8; (width * height * 3) as usize];
        {
            let area = PlacedText(BitMapBackend::with_buffer(&mut pixels, (width, height)))
                .into_drawing_area();
            let style = TextStyle::from(("sans-serif", SIZE).into_font())
                .color(&BLACK)
                .pos(Pos::new(h_pos, VPos::Center));
            area.draw(&Text::new(text.to_owned(), (x, 60), style)).expect("drawn");
            area.present().expect("presented");
        }
        (0..width as usize)
            .map(|column| {
                (0..height as usize).any(|row| pixels[(row * width as usize + column) * 3] < 128)
            })
            .collect()
    }

    /// Where the font puts the ink of `c` at `size`: from the pen, its left side bearing and
    /// its ink's right edge, in pixels.
    fn ink_of(c: char) -> (f32, f32) {
        let font = font(FontStyle::Normal).as_scaled(SIZE as f32);
        let id = font.glyph_id(c);
        let outline = font.font().outline(id).expect("the glyph has an outline");
        let scale = font.h_scale_factor();
        (outline.bounds.min.x * scale, outline.bounds.max.x * scale)
    }

    fn runs_of_ink(columns: &[bool]) -> Vec<(usize, usize)> {
        let mut runs = Vec::new();
        let mut start = None;
        for (x, &inked) in columns.iter().chain([&false]).enumerate() {
            match (inked, start) {
                (true, None) => start = Some(x),
                (false, Some(from)) => {
                    runs.push((from, x));
                    start = None;
                }
                _ => {}
            }
        }
        runs
    }

    #[test]
    fn each_glyph_is_inked_where_the_font_places_it() {
        // "1" has a wide left side bearing and "_" none: drawn from the pen without it, the
        // "1" sat left of its place and the gap after it doubled ("q1 _clear")
        let columns = inked_columns("1_", 20, HPos::Left);
        let runs = runs_of_ink(&columns);
        assert_eq!(runs.len(), 2, "two glyphs apart: {runs:?}");
        let (one_left, one_right) = ink_of('1');
        let (underscore_left, _) = ink_of('_');
        let font = font(FontStyle::Normal).as_scaled(SIZE as f32);
        let one_advance =
            font.h_advance(font.glyph_id('1')) + font.kern(font.glyph_id('1'), font.glyph_id('_'));
        let near = |drawn: usize, expected: f32| (drawn as f32 - expected).abs() <= 1.5;
        assert!(near(runs[0].0, 20.0 + one_left), "{runs:?}, 1's ink from {one_left}");
        assert!(near(runs[0].1, 20.0 + one_right), "{runs:?}, 1's ink to {one_right}");
        assert!(
            near(runs[1].0, 20.0 + one_advance + underscore_left),
            "{runs:?}, _ from {}",
            one_advance + underscore_left
        );
    }

    #[test]
    fn anchored_text_ends_and_centres_where_its_advances_say() {
        let font = font(FontStyle::Normal).as_scaled(SIZE as f32);
        let (_, width) = laid_out(&font, "1");
        let (one_left, one_right) = ink_of('1');
        for (name, h_pos, anchor, start) in [
            ("right", HPos::Right, 300, 300.0 - width),
            ("centre", HPos::Center, 200, 200.0 - width / 2.0),
            ("left", HPos::Left, 20, 20.0),
        ] {
            let runs = runs_of_ink(&inked_columns("1", anchor, h_pos));
            assert_eq!(runs.len(), 1, "{name}: {runs:?}");
            assert!((runs[0].0 as f32 - (start + one_left)).abs() <= 1.5, "{name}: {runs:?}");
            assert!((runs[0].1 as f32 - (start + one_right)).abs() <= 1.5, "{name}: {runs:?}");
        }
    }
}
