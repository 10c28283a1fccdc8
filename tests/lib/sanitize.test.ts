import { describe, expect, it } from "vitest";
import { htmlToText, plainText, sanitizeHtml } from "../../api/lib/sanitize.ts";

const BLOCK_TAGS = ["h2", "h3", "h4", "p", "br", "hr", "ul", "ol", "li", "blockquote", "pre"];
const INLINE_TAGS = ["strong", "b", "em", "i", "u", "s", "code"];
const ALLOWED_ATTRIBUTES: Record<string, string[]> = {
  ...Object.fromEntries([...BLOCK_TAGS, ...INLINE_TAGS].map((tag) => [tag, []])),
  a: ["href", "title", "rel", "target"],
  img: ["src", "alt", "width", "height"],
};

// After sanitizing, text holds no raw `<` and attribute values hold no raw `>`, so this finds every tag exactly.
const TAG = /<\/?([^\s>/]+)([^>]*)>/g;

function tagsIn(html: string) {
  return [...html.matchAll(TAG)].map(([, name, attributes]) => ({
    name: name!,
    isCanonical: /^(\s[a-z]+="[^"]*")*$/.test(attributes!),
    attributes: [...attributes!.matchAll(/([^\s=]+)="([^"]*)"/g)].map(([, attribute, value]) => ({
      name: attribute!,
      value: value!,
    })),
  }));
}

function expectInert(output: string) {
  expect(output).not.toMatch(/<\s*script/i);
  expect(output).not.toMatch(/<\/?\s*(svg|math|iframe|object|embed|form|meta|base|link|style|body|input|details)\b/i);
  for (const tag of tagsIn(output)) {
    expect(Object.keys(ALLOWED_ATTRIBUTES)).toContain(tag.name);
    expect(tag.isCanonical).toBe(true);
    for (const attribute of tag.attributes) {
      expect(ALLOWED_ATTRIBUTES[tag.name]).toContain(attribute.name);
      expect(attribute.name).not.toMatch(/^(on\w+|style|class|id)$/);
      if (attribute.name === "href") expect(attribute.value).toMatch(/^(https?:\/\/|mailto:)/);
      if (attribute.name === "src") expect(attribute.value).toMatch(/^https:\/\//);
    }
  }
  // Anything the tokenizer did not take for a tag must have come out as escaped text.
  expect(output.replace(TAG, "")).not.toContain("<");
}

const OWASP_PAYLOADS = [
  `<script>alert('XSS')</script>`,
  `<SCRIPT SRC=https://xss.rocks/xss.js></SCRIPT>`,
  `<SCRIPT/XSS SRC="http://xss.rocks/xss.js"></SCRIPT>`,
  `<img src=x onerror=alert(1)>`,
  `<IMG SRC="javascript:alert('XSS');">`,
  `<IMG SRC=JaVaScRiPt:alert('XSS')>`,
  `<IMG SRC=javascript:alert(String.fromCharCode(88,83,83))>`,
  `<IMG SRC=# onmouseover="alert('xxs')">`,
  `<IMG SRC= onmouseover="alert('xxs')">`,
  `<img src="https://cdn.example.com/a.png" onerror="alert(1)">`,
  `<IMG """><SCRIPT>alert("XSS")</SCRIPT>">`,
  `<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert('XSS')>`,
  `<IMG SRC=&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058alert(1)>`,
  `<IMG SRC=&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A&#x61&#x6C&#x65&#x72&#x74&#x28&#x27&#x58&#x53&#x53&#x27&#x29>`,
  `<a href="&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1)">x</a>`,
  `<a href="&#106;avascript:alert(1)">x</a>`,
  `<a href="javascript&colon;alert(1)">x</a>`,
  `<a href="jav&Tab;ascript:alert(1)">x</a>`,
  `<a href="jav\tascript:alert(1)">x</a>`,
  `<a href="jav&#x09;ascript:alert(1)">x</a>`,
  `<a href="jav&#x0A;ascript:alert(1)">x</a>`,
  `<a href="java\nscript:alert(1)">x</a>`,
  `<a href=" &#14;  javascript:alert(1)">x</a>`,
  `<a href="\u0001javascript:alert(1)">x</a>`,
  `<a href="  javascript:alert(1)">x</a>`,
  `<a href="vbscript:msgbox('XSS')">x</a>`,
  `<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>`,
  `<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">`,
  `<a href="https://example.com/" onclick="alert(1)" style="color:red" class="x" id="y">x</a>`,
  `<svg onload=alert(1)>`,
  `<svg/onload=alert('XSS')>`,
  `<svg><script>alert(1)</script></svg>`,
  `<math><maction actiontype="statusline" xlink:href="javascript:alert(1)">x</maction></math>`,
  `<style>@import 'https://xss.rocks/xss.css';</style>`,
  `<STYLE>li {list-style-image: url("javascript:alert('XSS')");}</STYLE><UL><LI>XSS</br>`,
  `<iframe src="javascript:alert(1)"></iframe>`,
  `<iframe src=http://xss.rocks/scriptlet.html <`,
  `<body onload=alert('XSS')>`,
  `<BODY onload!#$%&()*~+-_.,:;?@[/|\\]^\`=alert("XSS")>`,
  `<div style="background:url(javascript:alert(1))">x</div>`,
  `<DIV STYLE="width: expression(alert('XSS'));">x</DIV>`,
  `<p style="behavior: url(xss.htc);">x</p>`,
  `<TABLE BACKGROUND="javascript:alert('XSS')"><tr><td>x</td></tr></TABLE>`,
  `<img src="http://example.com/plain-http.png" alt="insecure">`,
  `<form action="javascript:alert(1)"><button formaction="javascript:alert(2)">go</button></form>`,
  `<INPUT TYPE="IMAGE" SRC="javascript:alert('XSS');">`,
  `<input autofocus onfocus=alert(1)>`,
  `<details open ontoggle=alert(1)>`,
  `<meta http-equiv="refresh" content="0;url=javascript:alert(1)">`,
  `<base href="javascript:alert('XSS');//">`,
  `<link rel=import href="https://xss.rocks/x.html">`,
  `<object data="javascript:alert(1)"></object>`,
  `<OBJECT TYPE="text/x-scriptlet" DATA="http://xss.rocks/scriptlet.html"></OBJECT>`,
  `<embed src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">`,
  `<scr<script>ipt>alert(1)</scr</script>ipt>`,
  `<<script>alert("XSS");//<</script>`,
  `<!--<script>-->alert(1)`,
  `<!--><img src=x onerror=alert(1)>-->`,
  `</TITLE><SCRIPT>alert("XSS");</SCRIPT>`,
  `<noscript><p title="</noscript><img src=x onerror=alert(1)>">`,
  `<textarea><script>alert(1)</script></textarea>`,
  `<template><img src=x onerror=alert(1)></template>`,
  `<a href="https://example.com/" title='"><script>alert(1)</script>'>x</a>`,
  `<img src="https://cdn.example.com/a.png" alt="x" onerror="alert(1)"/>`,
  `<img src="https://cdn.example.com/a.png"onerror="alert(1)">`,
  `<a href="https://example.com/"\u0000onclick=alert(1)>x</a>`,
  `<scr\u0000ipt>alert(1)</scr\u0000ipt>`,
  `<img src=x:alert(alt) onerror=eval(src) alt=0>`,
  `<a href="javascript:alert(1)"`,
];

describe("sanitizeHtml against the OWASP filter-evasion cheat sheet", () => {
  it.each(OWASP_PAYLOADS)("neutralizes %s", (payload) => {
    const output = sanitizeHtml(payload);
    expectInert(output);
    expect(sanitizeHtml(output)).toBe(output);
  });

  it.each([
    "<img src=x onerror=alert(1)>",
    `<a href="javascript:alert(1)">`,
    `<a href="https://example.com/" onclick="x">`,
    `<p style="color:red">`,
    "<svg>",
    "<x-widget>",
    "&lt;<b",
  ])("has a check that would catch %s", (vector) => {
    expect(() => expectInert(vector)).toThrow();
  });

  it.each([
    ["<script>alert(1)</script>after", "after"],
    ["<style>p{}</style><p>kept</p>", "<p>kept</p>"],
    ["<div><span class='lead'>words</span> stay</div>", "words stay"],
    ["<svg><script>alert(1)</script></svg>tail", "tail"],
    ["<embed src=x>text after a void element", "text after a void element"],
    ["<a href='javascript:alert(1)'>label</a>", "label"],
    ["<img src='http://example.com/a.png' alt='insecure'>", ""],
    ["<scr<script>ipt>alert(1)</scr</script>ipt>", "&lt;script&gt;"],
    ["<p>x < 5 and y > 3</p>", "<p>x &lt; 5 and y &gt; 3</p>"],
    ["<p>cut off <b", "<p>cut off </p>"],
    ["<b>bold <i>both</b> tail", "<b>bold <i>both</i></b> tail"],
    ["<p>stray</li></p></p>", "<p>stray</p>"],
  ])("%s → %s", (payload, expected) => {
    expect(sanitizeHtml(payload)).toBe(expected);
  });

  it("keeps an https image but not its event handler", () => {
    expect(sanitizeHtml(`<img src="https://cdn.example.com/a.png" alt="x" onerror="alert(1)"/>`))
      .toBe(`<img src="https://cdn.example.com/a.png" alt="x">`);
  });

  it("keeps a breakout attempt inside a title as escaped text", () => {
    expect(sanitizeHtml(`<a href="https://example.com/" title='"><script>x</script>'>x</a>`)).toBe(
      `<a href="https://example.com/" title="&quot;&gt;&lt;script&gt;x&lt;/script&gt;" ` +
        `rel="noopener noreferrer nofollow" target="_blank">x</a>`,
    );
  });
});

describe("sanitizeHtml keeps the allowed formatting", () => {
  const EXTERNAL = `rel="noopener noreferrer nofollow" target="_blank"`;

  it.each([
    "<h2>Module 1</h2><h3>Setup</h3><h4>Details</h4>",
    "<p>One<br>two</p><hr>",
    "<ul><li>a</li><li>b</li></ul><ol><li>first</li></ol>",
    "<p><strong>s</strong> <b>b</b> <em>e</em> <i>i</i> <u>u</u> <s>s</s></p>",
    "<pre><code>for x in range(3):\n\tprint(x &lt; 3)</code></pre>",
    "<blockquote><p>Quoted — «цитата»</p></blockquote>",
    `<p><a href="https://example.com/docs?a=1&amp;b=2#part" title="The docs" ${EXTERNAL}>docs</a></p>`,
    `<a href="http://example.com/" ${EXTERNAL}>plain http link</a>`,
    `<a href="mailto:teacher@example.com">mail me</a>`,
    `<img src="https://cdn.example.com/diagram.png" alt="A &amp; B diagram" width="640" height="480">`,
  ])("%s", (html) => {
    expect(sanitizeHtml(html)).toBe(html);
  });

  it("adds rel and target to web links, replacing the author's own", () => {
    expect(sanitizeHtml(`<a href="https://example.com/" target="_self" rel="opener">x</a>`))
      .toBe(`<a href="https://example.com/" ${EXTERNAL}>x</a>`);
  });

  it("normalizes what it keeps: lower-case names, double quotes, the first of duplicated attributes", () => {
    expect(sanitizeHtml(`<P><A HREF='https://a.example/' href="https://b.example/">x</A></P>`))
      .toBe(`<p><a href="https://a.example/" ${EXTERNAL}>x</a></p>`);
  });

  it("keeps only numeric image dimensions", () => {
    expect(sanitizeHtml(`<img src="https://cdn.example.com/a.png" width="50%" height=" 20 ">`))
      .toBe(`<img src="https://cdn.example.com/a.png" height="20">`);
  });

  it("closes what the author left open, so formatting cannot leak into the page", () => {
    expect(sanitizeHtml(`<ul><li><a href="https://example.com/">x`))
      .toBe(`<ul><li><a href="https://example.com/" ${EXTERNAL}>x</a></li></ul>`);
  });

  it("is idempotent on mixed content", () => {
    const once = sanitizeHtml(
      `<h2 class="t">Intro &amp; setup</h2><p onclick="x()">A <a href=" https://example.com/a b ">link</a>` +
        `<img src="https://cdn.example.com/a.png" alt='say "hi"'></p><!-- note --><div>x & y</div>`,
    );
    expect(sanitizeHtml(once)).toBe(once);
  });
});

describe("htmlToText", () => {
  it.each([
    ["<h2>Title</h2><p>First&nbsp;paragraph.</p><p>Second</p>", "Title First paragraph. Second"],
    ["<p>Use <code>a &lt; b</code> &amp; <strong>re</strong>turn</p>", "Use a < b & return"],
    ["<ul><li>one</li><li>two</li></ul>", "one two"],
    ["<p>line<br>break</p>", "line break"],
    ["<p>kept</p><script>alert(1)</script><style>p{}</style>", "kept"],
    ["<p>&#1054;&#x441;&#1085;&#1086;&#1074;&#1099; &mdash; &laquo;Python&raquo;</p>", "Основы — «Python»"],
    ["  <p>\n\tspaced \n out </p>  ", "spaced out"],
    ["", ""],
  ])("%s → %s", (html, text) => {
    expect(htmlToText(html)).toBe(text);
  });
});

describe("plainText", () => {
  it.each([
    ["  Основы   программирования \n на Python ", "Основы программирования на Python"],
    ["Tab\tand\r\nnewline", "Tab and newline"],
    ["No\u0000 nul\u0007 bell", "No nul bell"],
    ["right\u202eto-left override", "rightto-left override"],
    ["<b>not HTML</b> & kept", "<b>not HTML</b> & kept"],
    ["Cafe\u0301", "Café"],
    ["\u00a0\u2003", ""],
  ])("%j → %j", (value, expected) => {
    expect(plainText(value)).toBe(expected);
  });
});
