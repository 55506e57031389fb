"""The course's static site: every notebook as a page (nbconvert, template ``template/course``), maths as MathML
made at build time, and each explorable live without a kernel from frames precomputed by ``frames.Capture``.
Build: ``python -m tools.site OUT [--version V]`` (``./course release`` builds it into dist/VERSION/site)."""
