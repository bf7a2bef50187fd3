import re

from knowledgebase.rendering import render_markdown

EVENT_ATTRIBUTE = re.compile(r"<[^>]*\son\w+\s*=", re.IGNORECASE)


def test_script_tags_are_not_rendered():
    html = render_markdown("Hello\n\n<script>alert(1)</script>")
    assert "<script" not in html


def test_event_handler_attributes_are_removed():
    html = render_markdown('<img src="/x.png" onerror="alert(1)"> <b onclick="x()">b</b>')
    assert EVENT_ATTRIBUTE.search(html) is None


def test_javascript_links_are_dropped():
    html = render_markdown("[click](javascript:alert(1)) [ok](https://example.com/a)")
    assert 'href="javascript' not in html
    assert '<a href="https://example.com/a" rel="noopener nofollow">ok</a>' in html


def test_images_only_from_relative_or_https_urls():
    html = render_markdown("![a](http://evil.example/a.png) ![b](/media/b.png) ![c](//evil/c.png)")
    assert 'src="/media/b.png"' in html
    assert "evil" not in html


def test_headings_lists_code_and_tables_are_kept():
    html = render_markdown("# Title\n\n- one\n\n```\nx < 1\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |")
    for tag in ("<h1>", "<li>", "<pre><code>", "<table>", "<td>"):
        assert tag in html
    assert "x &lt; 1" in html
