"""Card companies by their code, as PortOne V1 reports them in card_code and answers them at
GET /cards.

Sources: the overseas codes (10001-10006, with PortOne's own names, its typo 해외마스터카스
included) are PortOne's 해외 카드코드 table (developers.portone.io/opi/ko/support/code-info/
portone-code). The domestic ones are the KFTC (금융결제원) card codes PortOne's card-code table
lists; PortOne's stored pages name only 366 (신한카드) and 381 (KB국민카드), so the rest are the
sandbox's copy of the KFTC list, not checked against PortOne.
"""

CARDS = {
    "361": "BC카드",
    "364": "광주카드",
    "365": "삼성카드",
    "366": "신한카드",
    "367": "현대카드",
    "368": "롯데카드",
    "369": "수협카드",
    "370": "씨티카드",
    "371": "NH카드",
    "372": "전북카드",
    "373": "제주카드",
    "374": "하나카드",
    "381": "KB국민카드",
    "041": "우리카드",
    "071": "우체국카드",
    "10001": "해외은련카드",
    "10002": "해외다이너스카드",
    "10003": "해외아멕스카드",
    "10004": "해외마스터카스",
    "10005": "해외비자카드",
    "10006": "해외JCB카드",
}
