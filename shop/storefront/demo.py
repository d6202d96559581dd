"""Demo products for the sandbox shop. Images are SVG files drawn for this project."""

DEMO_PRODUCTS = [
    {
        "slug": "swivel-chair",
        "name": "노르웨이 회전 의자",
        "description": "자작나무 좌판과 부드럽게 도는 회전축. 책상 앞에서도 식탁에서도 잘 어울리는 의자입니다.",
        "price": 64900,
        "stock": 12,
        "image": "img/products/swivel-chair.svg",
    },
    {
        "slug": "oak-side-table",
        "name": "원목 사이드 테이블",
        "description": "오크 원목을 오일로 마감한 작은 테이블. 소파 옆이나 침대 곁에 두기 좋은 크기입니다.",
        "price": 89000,
        "stock": 5,
        "image": "img/products/oak-side-table.svg",
    },
    {
        "slug": "linen-cushion",
        "name": "리넨 쿠션 커버",
        "description": "워싱 리넨 100% 쿠션 커버(45×45cm). 세탁할수록 부드러워집니다. 속통은 포함되지 않습니다.",
        "price": 19800,
        "stock": 40,
        "image": "img/products/linen-cushion.svg",
    },
    {
        "slug": "ceramic-mug-set",
        "name": "세라믹 머그 2종 세트",
        "description": "손으로 빚은 도자기 머그 두 개(350ml). 식기세척기와 전자레인지에 사용할 수 있습니다.",
        "price": 24000,
        "stock": 25,
        "image": "img/products/ceramic-mug-set.svg",
    },
    {
        "slug": "mood-lamp",
        "name": "무드 조명 스탠드",
        "description": "밝기를 세 단계로 조절하는 패브릭 갓 스탠드. 따뜻한 전구색 LED가 함께 들어 있습니다.",
        "price": 45500,
        "stock": 8,
        "image": "img/products/mood-lamp.svg",
    },
    {
        "slug": "soy-candle",
        "name": "소이 캔들 라벤더",
        "description": "100% 소이 왁스와 라벤더 에센셜 오일로 만든 캔들(200g). 약 40시간 동안 탑니다.",
        "price": 15900,
        "stock": 30,
        "image": "img/products/soy-candle.svg",
        "withdrawal_note": "포장 비닐(실링)을 뜯었거나 한 번이라도 태운 캔들은 상품 가치가 크게 줄어 단순 변심으로 반품할 수 없습니다. 불량이거나 설명과 다른 상품은 반품해 드립니다 (전자상거래법 제17조 ②).",
    },
]
