# label: vulnerable CWE-89
# round: 3
from shop.models import Product


def cheaper_than(request):
    price = request.GET["max"]
    return Product.objects.raw("SELECT * FROM shop_product WHERE price < {}".format(price))
