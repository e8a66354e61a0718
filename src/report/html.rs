//! index.html: one self-contained page — inline CSS, inline SVG and a small
//! inline script (sortable tables, the item filter, diagram zoom). Nothing is
//! fetched: no external fonts, scripts, styles or images, so the page works
//! offline and from a file:// URL.
//!
//! All text is escaped with [`esc`]. The script marks `<body data-ready="1">`
//! when it has run, and records any error in `data-errors` (the browser test
//! checks both).

use super::content::Built;
use super::diagrams::inline_svg;
use super::doc::{Block, Cell, DocTable, Figure, Inline};
use super::escape::esc;
use super::labels::Labels;
use crate::model::Lang;
use std::fmt::Write;

const CSS: &str = r#"
:root{--ink:#1a1a1a;--muted:#555;--line:#d0d7de;--bg:#fff;--zebra:#f6f8fa;--accent:#0b57a4}
*{box-sizing:border-box}
html{font-size:15px}
body{margin:0;color:var(--ink);background:var(--bg);font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",sans-serif;line-height:1.5}
a{color:var(--accent)}
a:focus,button:focus,input:focus{outline:3px solid #f0a500;outline-offset:1px}
.skip{position:absolute;left:-999px;top:0;background:#fff;padding:.5em}
.skip:focus{left:.5em;z-index:10}
header.top{position:sticky;top:0;z-index:5;background:#fff;border-bottom:1px solid var(--line);padding:.6em 1.2em;display:flex;flex-wrap:wrap;gap:.4em 1.5em;align-items:center}
header.top h1{font-size:1.25rem;margin:0;flex:1 1 30em}
header.top .sub{color:var(--muted);font-size:.85rem;margin:0;flex-basis:100%}
.search{display:flex;gap:.5em;align-items:center}
.search input{font-size:1rem;padding:.3em .5em;border:1px solid #8c959f;border-radius:4px;min-width:16em}
.search output{color:var(--muted);font-size:.85rem;min-width:8em}
.layout{display:flex;align-items:flex-start}
nav.toc{position:sticky;top:5.5em;flex:0 0 15em;max-height:calc(100vh - 6em);overflow:auto;padding:1em;font-size:.88rem;border-right:1px solid var(--line)}
nav.toc h2{font-size:1rem;margin:0 0 .5em}
nav.toc ol{padding-left:1.1em;margin:0}
nav.toc li{margin:.15em 0}
main{flex:1;min-width:0;padding:0 1.5em 3em;max-width:1300px}
h2{font-size:1.5rem;border-bottom:2px solid var(--ink);padding-bottom:.2em;margin-top:1.6em}
h3{font-size:1.2rem;margin-top:1.6em}
h4{font-size:1rem;margin:1.2em 0 .4em}
section.system,section.scenario{border-top:1px solid var(--line)}
.table-wrap{overflow-x:auto;margin:.5em 0 1em}
table{border-collapse:collapse;font-size:.86rem;min-width:40%}
caption{text-align:left;font-weight:600;padding:.3em 0;color:var(--muted)}
th,td{border:1px solid var(--line);padding:.25em .5em;vertical-align:top;text-align:left}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
td.num{white-space:nowrap}
details>summary{cursor:pointer}
details>summary>h3{display:inline}
section.system>details>summary,section.scenario>details>summary{padding:.6em 0}
details.more>summary{color:var(--accent);margin:.4em 0}
#sources-table{width:100%}
#sources-table td:nth-child(2){min-width:16em}
#sources-table td:nth-child(4){max-width:16em;overflow-wrap:anywhere}
#sources-table td:nth-child(5){min-width:24em}
tbody tr:nth-child(even){background:var(--zebra)}
tbody tr:target{outline:3px solid #f0a500}
th{background:#eef2f6}
th button{all:unset;cursor:pointer;display:block;width:100%;font-weight:600}
th button::after{content:" \2195";color:#888;font-size:.8em}
th[aria-sort=ascending] button::after{content:" \25B2";color:var(--ink)}
th[aria-sort=descending] button::after{content:" \25BC";color:var(--ink)}
td.id{font-family:ui-monospace,SFMono-Regular,Consolas,monospace;font-size:.82rem}
.band{font-weight:600;border-radius:3px}
.band-low{background:#deebf7}.band-medium{background:#9ecae1}.band-high{background:#4f9bd1;color:#000}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
td.empty{color:var(--muted);font-style:italic}
figure{margin:1em 0}
figure .scroll{overflow:auto;border:1px solid var(--line);background:#fff}
figure.actual svg{max-width:none!important}
figure.actual .scroll{max-height:80vh;cursor:grab}
figure.actual .scroll.dragging{cursor:grabbing;user-select:none}
figcaption{font-size:.85rem;color:var(--muted);margin-top:.3em}
figcaption button{font-size:.8rem;margin-left:.6em}
footer{color:var(--muted);font-size:.85rem;border-top:1px solid var(--line);margin-top:3em;padding-top:1em}
@media (max-width:900px){.layout{display:block}nav.toc{position:static;max-height:none;border-right:0;border-bottom:1px solid var(--line)}}
@page{size:A4;margin:14mm 12mm}
@media print{
 header.top{position:static;border:0}
 .search,nav.toc,.skip,figcaption button,.hint,.screen{display:none!important}
 details>summary{list-style:none}
 .layout{display:block}
 main{max-width:none;padding:0}
 h2:not(#summary-h){break-before:page}
 h2,h3,h4{break-after:avoid}
 tr,figure{break-inside:avoid}
 tbody tr[hidden]{display:table-row!important}
 th button::after{content:""}
 .table-wrap,figure .scroll{overflow:visible;border:0}
 figure svg{max-width:100%!important}
 a{color:inherit;text-decoration:none}
 td a[href^="http"]::after{content:" <" attr(href) ">";font-size:.8em}
 body{font-size:10pt}
}
"#;

const SCRIPT: &str = r#"
(function(){
var body=document.body;
function fail(m){var p=body.getAttribute('data-errors');body.setAttribute('data-errors',(p?p+' | ':'')+m);}
window.addEventListener('error',function(e){fail(String(e.message||e));});
try{
var each=function(list,f){Array.prototype.forEach.call(list,f);};
function key(td,num){
  if(!td)return num?NaN:'';
  if(num){var v=td.getAttribute('data-v');return v===null?NaN:parseFloat(v);}
  return td.textContent.trim().toLowerCase();
}
each(document.querySelectorAll('table.sortable'),function(t){
  if(!t.tHead||!t.tBodies.length)return;
  var ths=t.tHead.rows[0].cells;
  each(ths,function(th,col){
    var b=th.querySelector('button');if(!b)return;
    b.addEventListener('click',function(){
      var dir=th.getAttribute('aria-sort')==='ascending'?'descending':'ascending';
      each(ths,function(o){if(o.hasAttribute('aria-sort'))o.setAttribute('aria-sort','none');});
      th.setAttribute('aria-sort',dir);
      var num=th.classList.contains('num'),tb=t.tBodies[0];
      var rows=Array.prototype.slice.call(tb.rows).filter(function(r){return !r.classList.contains('empty-row');});
      rows.sort(function(a,b){
        var x=key(a.cells[col],num),y=key(b.cells[col],num);
        if(num){
          if(isNaN(x)&&isNaN(y))return 0;if(isNaN(x))return 1;if(isNaN(y))return -1;
          return dir==='ascending'?x-y:y-x;
        }
        var c=x.localeCompare(y);return dir==='ascending'?c:-c;
      });
      rows.forEach(function(r){tb.appendChild(r);});
    });
  });
});
var q=document.getElementById('q'),out=document.getElementById('q-count');
function apply(){
  var s=q.value.trim().toLowerCase(),shown=0,total=0;
  each(document.querySelectorAll('table.filter tbody tr'),function(r){
    if(r.classList.contains('empty-row'))return;
    var hit=!s||r.textContent.toLowerCase().indexOf(s)>=0;
    r.hidden=!hit;total++;if(hit){shown++;if(s)reveal(r);}
  });
  out.textContent=s?shown+' / '+total+' '+out.getAttribute('data-label'):'';
}
if(q){q.addEventListener('input',apply);q.disabled=false;}
each(document.querySelectorAll('button.zoom'),function(b){
  b.addEventListener('click',function(){
    var f=b.closest('figure'),svg=f.querySelector('svg');var on=f.classList.toggle('actual');
    b.setAttribute('aria-pressed',on?'true':'false');
    // Actual size: the drawing's natural width, scrollable and draggable.
    if(svg&&svg.dataset.natural){svg.style.width=on?svg.dataset.natural+'px':'';}
  });
});
// Diagrams start fitted to the width of the page: a large one shrinks to it,
// a small one grows up to 1.5 times (labels readable, a two-node drawing not
// blown up); the natural width (the cap written on the element) is kept for
// "actual size".
each(document.querySelectorAll('figure.diagram svg'),function(svg){
  var w=parseFloat(svg.style.maxWidth);if(w>0){svg.dataset.natural=String(w);svg.style.maxWidth=(1.5*w)+'px';}
});
each(document.querySelectorAll('figure .scroll'),function(box){
  var x0=0,y0=0,l0=0,t0=0,down=false;
  box.addEventListener('mousedown',function(e){
    if(!box.parentNode.classList.contains('actual'))return;
    down=true;x0=e.clientX;y0=e.clientY;l0=box.scrollLeft;t0=box.scrollTop;box.classList.add('dragging');e.preventDefault();
  });
  window.addEventListener('mousemove',function(e){if(down){box.scrollLeft=l0-(e.clientX-x0);box.scrollTop=t0-(e.clientY-y0);}});
  window.addEventListener('mouseup',function(){if(down){down=false;box.classList.remove('dragging');}});
});
function reveal(el){for(var d=el&&el.closest('details');d;d=d.parentElement&&d.parentElement.closest('details')){d.open=true;}}
function revealHash(){if(location.hash.length>1){var t=document.getElementById(decodeURIComponent(location.hash.slice(1)));if(t){reveal(t);t.scrollIntoView();}}}
window.addEventListener('hashchange',revealHash);
document.addEventListener('click',function(e){var a=e.target.closest&&e.target.closest('a[href^=\'#\']');if(a){var t=document.getElementById(decodeURIComponent(a.getAttribute('href').slice(1)));if(t)reveal(t);}});
revealHash();
var closed=[];
window.addEventListener('beforeprint',function(){closed=[];each(document.querySelectorAll('details:not([open])'),function(d){closed.push(d);d.open=true;});});
window.addEventListener('afterprint',function(){closed.forEach(function(d){d.open=false;});closed=[];});
body.setAttribute('data-ready','1');
}catch(e){fail(String(e&&e.message||e));}
})();
"#;

/// Tables with more rows than this start folded (`<details>`).
const FOLD_ROWS: usize = 20;

/// Writes the whole page.
pub fn write(built: &Built, lang: Lang, l: &Labels, data_files: &[String]) -> String {
    let mut h = String::with_capacity(1 << 20);
    let lang_attr = match lang {
        Lang::En => "en",
        Lang::Zh => "zh-CN",
    };
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"{lang_attr}\">\n<head>\n<meta charset=\"utf-8\">\n\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
<meta name=\"generator\" content=\"chokepoint {}\">\n<title>{}</title>\n<style>{CSS}</style>\n</head>\n",
        env!("CARGO_PKG_VERSION"),
        esc(&built.title)
    );
    h.push_str("<body data-ready=\"0\">\n");
    let _ = writeln!(h, "<a class=\"skip\" href=\"#main\">{}</a>", esc(l.skip));
    let _ = writeln!(
        h,
        "<header class=\"top\"><h1>{}</h1>\
<div class=\"search\" role=\"search\"><label for=\"q\">{}</label>\
<input id=\"q\" type=\"search\" placeholder=\"{}\" autocomplete=\"off\" disabled>\
<output id=\"q-count\" for=\"q\" aria-live=\"polite\" data-label=\"{}\"></output></div>\
<p class=\"sub\">{}</p></header>",
        esc(&built.title),
        esc(l.search_label),
        esc(l.search_placeholder),
        esc(l.rows_shown),
        esc(&built.subtitle)
    );
    h.push_str("<div class=\"layout\">\n");
    toc(&mut h, &built.blocks, l);
    h.push_str("<main id=\"main\">\n");
    let _ = writeln!(h, "<p class=\"hint screen\">{}</p>", esc(l.sort_hint));
    let mut last_heading: Option<&str> = None;
    // Sections of one system or scenario fold into `<details>` whose summary
    // is their heading: the page stays short and every part is one click away
    // (a link or a filter hit opens the folds around its target).
    let mut folds: Vec<bool> = Vec::new();
    let mut summary_next = false;
    for b in &built.blocks {
        match b {
            Block::Open(id) => {
                let fold = id.starts_with("system-") || id.starts_with("scenario-");
                block(&mut h, b, l, lang);
                if fold {
                    h.push_str("<details>");
                }
                folds.push(fold);
                summary_next = fold;
            }
            Block::Close => {
                if folds.pop() == Some(true) {
                    h.push_str("</details>");
                }
                block(&mut h, b, l, lang);
            }
            Block::Heading { .. } if summary_next => {
                h.push_str("<summary>");
                block(&mut h, b, l, lang);
                h.push_str("</summary>\n");
                summary_next = false;
            }
            // A caption that repeats the heading just above is for screen readers only.
            Block::Table(t) => {
                let fold = t.rows.len() > FOLD_ROWS;
                if fold {
                    let _ = write!(
                        h,
                        "<details class=\"more\"><summary>{}</summary>",
                        esc(&l
                            .show_table
                            .replace("{caption}", &t.caption)
                            .replace("{n}", &t.rows.len().to_string()))
                    );
                }
                table(&mut h, t, last_heading == Some(t.caption.as_str()), lang);
                if fold {
                    h.push_str("</details>\n");
                }
            }
            b => block(&mut h, b, l, lang),
        }
        last_heading = match b {
            Block::Heading { text, .. } => Some(text),
            _ => None,
        };
    }
    let _ = write!(
        h,
        "<footer><p>{} {} · ",
        esc(l.generated).replace("chokepoint", "<span translate=\"no\">chokepoint</span>"),
        esc(env!("CARGO_PKG_VERSION"))
    );
    for (k, f) in data_files.iter().enumerate() {
        if k > 0 {
            h.push_str(", ");
        }
        let _ = write!(h, "<a href=\"{}\">{}</a>", esc(f), esc(f));
    }
    h.push_str("</p></footer>\n</main>\n</div>\n");
    let _ = write!(h, "<script>{SCRIPT}</script>\n</body>\n</html>\n");
    h
}

fn toc(h: &mut String, blocks: &[Block], l: &Labels) {
    let _ = write!(
        h,
        "<nav class=\"toc\" aria-labelledby=\"toc-h\"><h2 id=\"toc-h\">{}</h2><ol>",
        esc(l.contents)
    );
    let mut open_sub = false;
    let mut any = false;
    for b in blocks {
        if let Block::Heading {
            level,
            anchor,
            text,
        } = b
        {
            match level {
                2 => {
                    if open_sub {
                        h.push_str("</ol>");
                        open_sub = false;
                    }
                    if any {
                        h.push_str("</li>");
                    }
                    let _ = write!(h, "<li><a href=\"#{}\">{}</a>", esc(anchor), esc(text));
                    any = true;
                }
                3 => {
                    if !open_sub {
                        h.push_str("<ol>");
                        open_sub = true;
                    }
                    let _ = write!(h, "<li><a href=\"#{}\">{}</a></li>", esc(anchor), esc(text));
                }
                _ => {}
            }
        }
    }
    if open_sub {
        h.push_str("</ol>");
    }
    if any {
        h.push_str("</li>");
    }
    h.push_str("</ol></nav>\n");
}

/// `text` escaped, each glossary abbreviation (a whole word: TTS, LP, PI,
/// REI, EID, DI, HHI) wrapped in `<abbr title="what it stands for">`.
fn with_abbr(text: &str, lang: Lang) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut word = String::new();
    let flush = |out: &mut String, word: &mut String| {
        match super::sections::glossary::meaning(word, lang) {
            Some(m) => {
                let _ = write!(out, "<abbr title=\"{}\">{}</abbr>", esc(m), esc(word));
            }
            None => out.push_str(&esc(word)),
        }
        word.clear();
    };
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            word.push(c);
        } else {
            flush(&mut out, &mut word);
            out.push_str(&esc(c.encode_utf8(&mut [0; 4])));
        }
    }
    flush(&mut out, &mut word);
    out
}

fn inline(h: &mut String, parts: &[Inline], lang: Lang) {
    for p in parts {
        match p {
            Inline::Text(t) => h.push_str(&with_abbr(t, lang)),
            Inline::Strong(t) => {
                let _ = write!(h, "<strong>{}</strong>", esc(t));
            }
            Inline::Link { href, text } => {
                let _ = write!(h, "<a href=\"{}\">{}</a>", esc(href), esc(text));
            }
        }
    }
}

fn block(h: &mut String, b: &Block, l: &Labels, lang: Lang) {
    match b {
        Block::Open(id) => {
            let class = if id.starts_with("system-") {
                " class=\"system\""
            } else if id.starts_with("scenario-") {
                " class=\"scenario\""
            } else {
                ""
            };
            let _ = writeln!(h, "<section id=\"{}\"{class}>", esc(id));
        }
        Block::Close => h.push_str("</section>\n"),
        Block::Heading {
            level,
            anchor,
            text,
        } => {
            let _ = writeln!(
                h,
                "<h{level} id=\"{}\">{}</h{level}>",
                esc(anchor),
                esc(text)
            );
        }
        Block::Para(parts) => {
            h.push_str("<p>");
            inline(h, parts, lang);
            h.push_str("</p>\n");
        }
        Block::List(items) => {
            h.push_str("<ul>");
            for it in items {
                h.push_str("<li>");
                inline(h, it, lang);
                h.push_str("</li>");
            }
            h.push_str("</ul>\n");
        }
        Block::Table(t) => table(h, t, false, lang),
        Block::Figure(f) => figure(h, f, l),
    }
}

fn cell_html(h: &mut String, c: &Cell, numeric: bool) {
    let mut classes: Vec<&str> = Vec::new();
    if numeric {
        classes.push("num");
    }
    if let Some(c) = &c.class {
        classes.push(c);
    }
    h.push_str("<td");
    // Ids, codes and bibliographic text are data in their own language.
    let keep = classes
        .iter()
        .any(|c| c.split(' ').any(|c| c == "id" || c == "orig"));
    if !classes.is_empty() {
        let _ = write!(h, " class=\"{}\"", esc(&classes.join(" ")));
    }
    if keep {
        h.push_str(" translate=\"no\"");
    }
    if let Some(v) = c.sort {
        let _ = write!(h, " data-v=\"{v}\"");
    }
    h.push('>');
    let text = esc(&c.text).replace('\n', "<br>");
    match &c.href {
        Some(href) => {
            let _ = write!(h, "<a href=\"{}\">{text}</a>", esc(href));
        }
        None => h.push_str(&text),
    }
    h.push_str("</td>");
}

fn table(h: &mut String, t: &DocTable, hide_caption: bool, lang: Lang) {
    let class = if t.filterable {
        "sortable filter"
    } else {
        "sortable"
    };
    let _ = write!(
        h,
        "<div class=\"table-wrap\"><table id=\"{}\" class=\"{class}\" data-kind=\"{}\" data-key=\"{}\">\
<caption{}>{}</caption><thead><tr>",
        esc(&t.id),
        esc(t.kind),
        esc(&t.key),
        if hide_caption { " class=\"sr\"" } else { "" },
        esc(&t.caption)
    );
    for (k, head) in t.headers.iter().enumerate() {
        let numeric = t.numeric.get(k).copied().unwrap_or(false);
        let _ = write!(
            h,
            "<th scope=\"col\"{} aria-sort=\"none\"><button type=\"button\">{}</button></th>",
            if numeric { " class=\"num\"" } else { "" },
            with_abbr(head, lang)
        );
    }
    h.push_str("</tr></thead><tbody>");
    if t.rows.is_empty() {
        let _ = write!(
            h,
            "<tr class=\"empty-row\"><td class=\"empty\" colspan=\"{}\">{}</td></tr>",
            t.headers.len().max(1),
            esc(&t.empty)
        );
    }
    for (r, row) in t.rows.iter().enumerate() {
        match t.anchors.get(r).and_then(|a| a.as_ref()) {
            Some(a) => {
                let _ = write!(h, "<tr id=\"{}\">", esc(a));
            }
            None => h.push_str("<tr>"),
        }
        for (k, c) in row.iter().enumerate() {
            cell_html(h, c, t.numeric.get(k).copied().unwrap_or(false));
        }
        h.push_str("</tr>");
    }
    h.push_str("</tbody></table></div>\n");
}

fn figure(h: &mut String, f: &Figure, l: &Labels) {
    let stem = f.file.trim_end_matches(".svg");
    // Graphviz drawings (BOMs, the choke-point map) fit the page and zoom to
    // their actual size; charts (the heat map too) keep their own size and
    // scroll inside their box when wider than the page.
    let zoomable = f.wide && f.file != "heatmap.svg" && f.file != "pareto.svg";
    let _ = write!(
        h,
        "<figure class=\"{}\" id=\"fig-{}\"><div class=\"scroll\">{}</div><figcaption>{}",
        if zoomable { "diagram" } else { "chart" },
        esc(stem),
        inline_svg(&f.svg, stem, &f.alt),
        esc(&f.caption)
    );
    if zoomable {
        let _ = write!(
            h,
            "<button type=\"button\" class=\"zoom\" aria-pressed=\"false\">{}</button>",
            esc(l.fit)
        );
        let _ = write!(h, " <span class=\"screen\">{}</span>", esc(l.pan_hint));
    }
    h.push_str("</figcaption></figure>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn abbreviations_carry_their_meaning_in_the_language() {
        assert_eq!(
            with_abbr("TTS (days) & LP<", Lang::En),
            "<abbr title=\"time to survive: the first day a system&#39;s output falls short\">TTS</abbr> (days) &amp; \
<abbr title=\"lost production: full-output days lost over the scenario\">LP</abbr>&lt;"
        );
        // Whole words only: an id containing the letters stays as it is.
        assert_eq!(with_abbr("pi-ct DIY", Lang::En), "pi-ct DIY");
        assert!(with_abbr("HHI", Lang::Zh).starts_with("<abbr title=\"赫芬达尔"));
    }
}
