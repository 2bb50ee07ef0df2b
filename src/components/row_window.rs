//! A long table draws only the rows its scrolling box shows, and a margin around them. A
//! keystroke in a search over a thousand credentials then adds or removes a few dozen rows,
//! never hundreds: the browser's work per keystroke no longer grows with the list.
//!
//! Rows must all be one line of the same height (the table's CSS makes them so); the space of
//! the rows not drawn is held by two spacer rows, so the scrollbar is that of the whole list.

use leptos::html::Div;
use leptos::prelude::*;
use std::ops::Range;
use wasm_bindgen::JsCast;

/// Rows drawn beyond each edge of the box: scrolling by a wheel step, or Tab to the next link,
/// meets rows already there.
const MARGIN_ROWS: usize = 8;

/// Until the box has been measured: a box as tall as the CSS allows on a laptop screen.
const UNMEASURED: Viewport = Viewport {
    scroll_top: 0.0,
    height: 640.0,
    row_px: 37.0,
};

/// Where the scrolling box is, in CSS pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Viewport {
    pub scroll_top: f64,
    pub height: f64,
    pub row_px: f64,
}

impl Viewport {
    fn row_px(&self) -> f64 {
        // Also false for NaN.
        if self.row_px >= 1.0 {
            self.row_px
        } else {
            UNMEASURED.row_px
        }
    }

    /// The rows, of `total`, to draw.
    pub fn rows(&self, total: usize) -> Range<usize> {
        let row_px = self.row_px();
        // Float to integer casts saturate (NaN and negatives give 0): no overflow here.
        let in_view = ((self.height / row_px).ceil() as usize).saturating_add(1);
        // A list that just shrank under a box scrolled far down shows its end at once, before
        // the browser moves the scroll position back.
        let first = ((self.scroll_top / row_px) as usize).min(total.saturating_sub(in_view));
        let end = first
            .saturating_add(in_view)
            .saturating_add(MARGIN_ROWS)
            .min(total);
        first.saturating_sub(MARGIN_ROWS)..end
    }

    /// The height of `rows` rows, as a CSS length.
    pub fn height_of(&self, rows: usize) -> String {
        format!("{}px", (rows as f64 * self.row_px()).round() as u64)
    }
}

/// The scrolling box of a long table and what it shows.
#[derive(Clone, Copy)]
pub struct RowWindow {
    /// The box: it scrolls, and holds the table.
    pub scroller: NodeRef<Div>,
    viewport: RwSignal<Viewport>,
    /// The measuring asked for the next frame, cancelled if the table goes first.
    next_frame: StoredValue<Option<AnimationFrameRequestHandle>>,
}

impl RowWindow {
    /// A window that follows the box's size as the browser window is resized.
    pub fn new() -> Self {
        let window = RowWindow {
            scroller: NodeRef::new(),
            viewport: RwSignal::new(UNMEASURED),
            next_frame: StoredValue::new(None),
        };
        let on_resize = window_event_listener(leptos::ev::resize, move |_| window.measure());
        // A frame callback runs outside the page's life: one still pending when the page goes
        // would read what is gone.
        let next_frame = window.next_frame;
        on_cleanup(move || {
            on_resize.remove();
            if let Some(Some(frame)) = next_frame.try_get_value() {
                frame.cancel();
            }
        });
        window
    }

    /// Measures once the browser has drawn the rows (after their first drawing).
    pub fn measure_next_frame(&self) {
        let window = *self;
        let frame = request_animation_frame_with_handle(move || window.measure()).ok();
        if let Some(Some(previous)) = self.next_frame.try_get_value() {
            previous.cancel();
        }
        self.next_frame.try_set_value(frame);
    }

    /// Reads the box's scroll position and height, and the height of a drawn row (it follows the
    /// user's font size). To be called when the box scrolls, and once rows are first drawn.
    pub fn measure(&self) {
        // Called from browser events, which may come after the table is gone.
        let (Some(Some(scroller)), Some(previous)) = (
            self.scroller.try_get_untracked(),
            self.viewport.try_get_untracked(),
        ) else {
            return;
        };
        let row_px = scroller
            .query_selector("tbody tr:not(.spacer)")
            .ok()
            .flatten()
            .and_then(|row| row.dyn_into::<web_sys::HtmlElement>().ok())
            .map(|row| f64::from(row.offset_height()))
            .filter(|px| *px >= 1.0)
            .unwrap_or(previous.row_px);
        let now = Viewport {
            scroll_top: f64::from(scroller.scroll_top()),
            height: f64::from(scroller.client_height()),
            row_px,
        };
        if now != previous {
            self.viewport.try_set(now);
        }
    }

    /// The rows, of `total`, to draw now.
    pub fn rows(&self, total: usize) -> Range<usize> {
        self.viewport.with(|v| v.rows(total))
    }

    /// The height standing in for `rows` rows not drawn.
    pub fn height_of(&self, rows: usize) -> String {
        self.viewport.with(|v| v.height_of(rows))
    }
}

impl Default for RowWindow {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(scroll_top: f64) -> Viewport {
        Viewport {
            scroll_top,
            height: 400.0,
            row_px: 40.0,
        }
    }

    #[test]
    fn the_rows_in_view_and_a_margin_are_drawn() {
        // 400 px show 10 rows, and part of an 11th.
        assert_eq!(at(0.0).rows(1000), 0..19);
        assert_eq!(at(4000.0).rows(1000), 92..119);
        assert_eq!(at(4020.0).rows(1000), 92..119);
    }

    #[test]
    fn short_lists_and_list_ends_are_drawn_whole() {
        assert_eq!(at(0.0).rows(5), 0..5);
        assert_eq!(at(0.0).rows(0), 0..0);
        assert_eq!(at(39_600.0).rows(1000), 981..1000);
    }

    #[test]
    fn a_list_shrunk_under_a_scrolled_box_shows_its_end() {
        assert_eq!(at(20_000.0).rows(30), 11..30);
        assert_eq!(at(20_000.0).rows(3), 0..3);
    }

    #[test]
    fn nonsense_measures_draw_something_sensible() {
        let odd = Viewport {
            scroll_top: -50.0,
            height: f64::NAN,
            row_px: 0.0,
        };
        assert_eq!(odd.rows(100), 0..9);
        assert_eq!(odd.height_of(2), "74px");
        let huge = Viewport {
            scroll_top: f64::INFINITY,
            height: f64::INFINITY,
            row_px: 40.0,
        };
        assert_eq!(huge.rows(10), 0..10);
    }

    #[test]
    fn spacers_hold_the_height_of_the_rows_not_drawn() {
        assert_eq!(at(0.0).height_of(981), "39240px");
        let fractional = Viewport {
            row_px: 36.5,
            ..at(0.0)
        };
        assert_eq!(fractional.height_of(3), "110px");
    }
}
