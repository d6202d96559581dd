"""The yardstick: a bare Flask endpoint answering ~6 KB of fixed HTML, served by gunicorn
exactly as the shop is (`gunicorn benchmarks.bare:app`). Every row is compared with it."""

from flask import Flask

ITEM = '<li class="product"><a href="/products/item-{0}">상품 {0}</a> <span>19,800원</span></li>\n'
PAGE = (
    '<!doctype html>\n<html lang="ko"><head><meta charset="utf-8"><title>bare</title></head>'
    "<body><h1>온담 리빙</h1><ul>\n"
    + "".join(ITEM.format(n) for n in range(64))
    + "</ul></body></html>\n"
)

app = Flask(__name__)


@app.get("/")
def page():
    return PAGE
