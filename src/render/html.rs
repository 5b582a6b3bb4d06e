//! HTML: an email's body as an accessible layout mail clients display, and the preview page
//! that shows every email of a run. Every piece of text is escaped.
//!
//! The body is table-based with inline styles: a header band, heading, summary, details table,
//! one button and a footer.

use super::content::Content;
use std::fmt::Write;

const BRAND: &str = "#0078d4";
const TEXT: &str = "#323130";
const MUTED: &str = "#605e5c";
const RULE: &str = "#edebe9";
const FONT: &str = "'Segoe UI', -apple-system, Helvetica, Arial, sans-serif";

/// Text made safe for HTML content and quoted attribute values.
pub fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            c => escaped.push(c),
        }
    }
    escaped
}

/// The HTML body of an email from `sender_name` in `locale`.
pub fn email(content: &Content, sender_name: &str, locale: &str) -> String {
    let mut html = String::with_capacity(4096);
    let _ = write!(
        html,
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{subject}</title>\n</head>\n\
         <body style=\"margin:0;padding:0;background-color:#f3f2f1;font-family:{FONT};color:{TEXT};\">\n\
         <table role=\"presentation\" width=\"100%\" cellspacing=\"0\" cellpadding=\"0\" style=\"background-color:#f3f2f1;\">\n\
         <tr><td align=\"center\" style=\"padding:24px 12px;\">\n\
         <table role=\"presentation\" width=\"600\" cellspacing=\"0\" cellpadding=\"0\" style=\"width:100%;max-width:600px;background-color:#ffffff;border:1px solid #e1dfdd;\">\n\
         <tr><td style=\"background-color:{BRAND};color:#ffffff;padding:14px 24px;font-size:16px;font-weight:600;\">{sender}</td></tr>\n\
         <tr><td style=\"padding:24px;\">\n\
         <h1 style=\"margin:0 0 12px;font-size:22px;line-height:28px;font-weight:600;color:#201f1e;\">{title}</h1>\n",
        lang = escape(locale),
        subject = escape(&content.subject),
        sender = escape(sender_name),
        title = escape(&content.title),
    );
    if let Some(summary) = &content.summary {
        let _ = writeln!(
            html,
            "<p style=\"margin:0 0 20px;font-size:14px;line-height:20px;\">{}</p>",
            escape(summary)
        );
    }
    let _ = writeln!(
        html,
        "<table style=\"border-collapse:collapse;width:100%;font-size:14px;line-height:20px;\">\n\
         <caption style=\"text-align:left;font-weight:600;padding:0 0 8px;\">{}</caption>",
        escape(&content.details_caption)
    );
    let cell = format!("padding:8px 0;border-top:1px solid {RULE};vertical-align:top;");
    for (label, value) in &content.details {
        let _ = writeln!(
            html,
            "<tr><th scope=\"row\" style=\"{cell}text-align:left;font-weight:600;width:35%;padding-right:12px;\">{}</th>\
             <td style=\"{cell}white-space:pre-line;\">{}</td></tr>",
            escape(label),
            escape(value)
        );
    }
    html.push_str("</table>\n");
    if let Some(action) = &content.action {
        let _ = writeln!(
            html,
            "<p style=\"margin:24px 0 0;\"><a href=\"{}\" style=\"display:inline-block;background-color:{BRAND};\
             color:#ffffff;text-decoration:none;padding:10px 20px;border-radius:2px;font-weight:600;font-size:14px;\">{}</a></p>",
            escape(&action.url),
            escape(&action.label)
        );
    }
    let _ = write!(
        html,
        "</td></tr>\n\
         <tr><td style=\"padding:16px 24px;border-top:1px solid {RULE};font-size:12px;line-height:16px;color:{MUTED};\">\n\
         <p style=\"margin:0 0 8px;\">{because}</p>\n<p style=\"margin:0;\">{footer}</p>\n\
         </td></tr>\n</table>\n</td></tr>\n</table>\n</body>\n</html>\n",
        because = escape(&content.because),
        footer = escape(&content.footer),
    );
    html
}

/// One email on the preview page.
pub struct PreviewEntry<'a> {
    pub to: String,
    pub classes: String,
    pub subject: &'a str,
    /// the email's HTML body, shown inline, or the file beside the page that holds it
    pub preview: Preview<'a>,
}

pub enum Preview<'a> {
    Inline(&'a str),
    File(String),
}

/// The page that shows every email of a run: a heading, then each email's recipient, classes
/// and subject above a sandboxed frame with the email itself.
pub fn preview_page(heading: &str, note: &str, entries: &[PreviewEntry]) -> String {
    let mut html = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{heading}</title>\n<style>\n\
         body {{ margin: 0 auto; max-width: 760px; padding: 24px; font-family: {FONT}; color: {TEXT}; }}\n\
         ol {{ list-style: none; padding: 0; }}\n\
         li {{ margin: 0 0 32px; }}\n\
         h2 {{ font-size: 16px; margin: 0 0 4px; }}\n\
         p {{ margin: 0 0 8px; color: {MUTED}; font-size: 14px; }}\n\
         iframe {{ width: 100%; height: 720px; border: 1px solid #c8c6c4; }}\n\
         </style>\n</head>\n<body>\n<h1>{heading}</h1>\n<p>{note}</p>\n<ol>\n",
        heading = escape(heading),
        note = escape(note),
    );
    for (index, entry) in entries.iter().enumerate() {
        let frame = match &entry.preview {
            Preview::Inline(body) => format!("srcdoc=\"{}\"", escape(body)),
            Preview::File(file) => format!("src=\"{}\"", escape(file)),
        };
        let link = match &entry.preview {
            Preview::File(file) => format!(" · <a href=\"{}\">open</a>", escape(file)),
            Preview::Inline(_) => String::new(),
        };
        let _ = write!(
            html,
            "<li>\n<h2>{number}. {subject}</h2>\n<p>To {to} · as {classes}{link}</p>\n\
             <iframe title=\"Email {number} to {to}\" {frame} sandbox loading=\"lazy\"></iframe>\n</li>\n",
            number = index + 1,
            subject = escape(entry.subject),
            to = escape(&entry.to),
            classes = escape(&entry.classes),
        );
    }
    html.push_str("</ol>\n</body>\n</html>\n");
    html
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::content::Action;

    #[test]
    fn user_text_is_escaped_everywhere() {
        let hostile = "<script>alert('x')</script> & \"quoted\"";
        let content = Content {
            subject: hostile.into(),
            title: hostile.into(),
            summary: Some(hostile.into()),
            details_caption: "Details".into(),
            details: vec![(hostile.into(), hostile.into())],
            action: Some(Action {
                label: hostile.into(),
                url: "https://example.com/?a=\"><script>".into(),
            }),
            because: hostile.into(),
            footer: hostile.into(),
        };
        let html = email(&content, hostile, "en\"><script>");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("\"quoted\""));
        assert!(
            html.contains(
                "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quoted&quot;"
            )
        );
        let page = preview_page(
            hostile,
            hostile,
            &[PreviewEntry {
                to: hostile.into(),
                classes: hostile.into(),
                subject: hostile,
                preview: Preview::Inline(&html),
            }],
        );
        assert!(!page.contains("<script"), "{page}");
    }
}
