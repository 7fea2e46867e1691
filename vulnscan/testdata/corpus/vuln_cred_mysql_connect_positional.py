# label: vulnerable CWE-798
# round: 3
import pymysql


def conn():
    return pymysql.connect(host="10.0.0.5", user="root", password="toor1234", database="shop")
