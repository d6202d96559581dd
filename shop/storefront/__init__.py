"""What a customer sees: the catalogue, the cart, checkout, the order and pay pages,
주문조회 and the shop's information pages."""
