package vulnscan

import "testing"

func TestRuleRedirect(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{"flask next", "CWE-601", "from flask import request, redirect\ndef f():\n\treturn redirect(request.args.get('next'))\n"},
		{"fastapi param", "CWE-601", "from fastapi.responses import RedirectResponse\ndef go(url: str):\n\treturn RedirectResponse(url=url)\n"},
		{"location header", "CWE-601", "def f(request, resp):\n\tresp['Location'] = request.GET['u']\n\treturn resp\n"},
		{"tornado", "CWE-601", "class H:\n\tdef get(self):\n\t\tself.redirect(self.get_argument('to'))\n"},
		{"substring check", "CWE-601", "def f(request):\n\tu = request.GET['u']\n\tif 'example.com' in u:\n\t\treturn redirect(u)\n"},
		{"prefix without slash", "CWE-601", "def f(request):\n\tu = request.GET['u']\n\tif u.startswith('https://example.com'):\n\t\treturn redirect(u)\n"},
		{"slash only", "CWE-601", "def f(request):\n\tu = request.GET['u']\n\tif not u.startswith('/'):\n\t\tu = '/'\n\treturn redirect(u)\n"},
		{"check after sink", "CWE-601", "def f(request):\n\tu = request.GET['u']\n\tr = redirect(u)\n\tif u not in OK:\n\t\tabort(400)\n\treturn r\n"},
		{"check in other branch", "CWE-601", "def f(request, x):\n\tu = request.GET['u']\n\tif x:\n\t\tif u not in OK:\n\t\t\tabort(400)\n\telse:\n\t\treturn redirect(u)\n"},
		{"allow-list", "", "OK = {'/a', '/b'}\ndef f(request):\n\tu = request.GET['u']\n\tif u in OK:\n\t\treturn redirect(u)\n\treturn redirect('/')\n"},
		{"allow-list abort", "", "OK = ['/a']\ndef f(request):\n\tu = request.GET['u']\n\tif u not in OK:\n\t\tabort(400)\n\treturn redirect(u)\n"},
		{"else of failed check", "", "def f(request):\n\tu = request.GET['u']\n\tif not is_safe_url(u):\n\t\treturn redirect('/')\n\telse:\n\t\treturn redirect(u)\n"},
		{"netloc empty", "", "from urllib.parse import urlparse\ndef f(request):\n\tu = request.GET['u']\n\tif urlparse(u).netloc != '':\n\t\tabort(400)\n\treturn redirect(u)\n"},
		{"slash and double slash", "", "def f(request):\n\tu = request.GET['u']\n\tif not u.startswith('/') or u.startswith('//'):\n\t\tu = '/'\n\treturn redirect(u)\n"},
		{"constant mapping", "", "M = {'a': '/a'}\ndef f(request):\n\treturn redirect(M.get(request.GET['k'], '/'))\n"},
		{"url_for", "", "from flask import redirect, url_for\ndef f(page):\n\treturn redirect(url_for('show', p=page))\n"},
	})
}

func TestRuleRandom(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{"token assignment", "CWE-330", "import random\ndef f():\n\ttoken = '%x' % random.getrandbits(64)\n\treturn token\n"},
		{"function name", "CWE-330", "import random, string\ndef generate_password():\n\treturn ''.join(random.choice(string.ascii_letters) for _ in range(9))\n"},
		{"attribute", "CWE-330", "from random import randint\ndef f(u):\n\tu.reset_code = randint(0, 999999)\n"},
		{"dict key", "CWE-330", "import random\ndef f():\n\treturn {'api_key': str(random.random())}\n"},
		{"keyword", "CWE-330", "import random\ndef f(db):\n\tdb.add(session_id=random.randrange(10**12))\n"},
		{"via variable", "CWE-330", "import random\ndef f(u):\n\tc = random.randint(1000, 9999)\n\tu.otp = c\n"},
		{"Random instance", "CWE-330", "import random\nr = random.Random()\ndef new_nonce():\n\treturn r.getrandbits(96)\n"},
		{"secrets", "", "import secrets\ndef generate_password():\n\treturn secrets.token_urlsafe(12)\n"},
		{"SystemRandom", "", "import random\nr = random.SystemRandom()\ndef new_token():\n\treturn r.getrandbits(128)\n"},
		{"game", "", "import random\ndef roll():\n\treturn random.randint(1, 6)\n"},
		{"sort key", "", "import random\ndef f(xs):\n\tsort_key = random.random()\n\treturn sort_key\n"},
		{"jitter", "", "import random, time\ndef backoff(i):\n\ttime.sleep(2 ** i + random.uniform(0, 1))\n"},
	})
}

func TestRulePasswordHash(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{"sha256", "CWE-916", "import hashlib\ndef f(password):\n\treturn hashlib.sha256(password.encode()).hexdigest()\n"},
		{"salted sha512", "CWE-916", "import hashlib\ndef f(pw, salt):\n\treturn hashlib.sha512(salt + pw).digest()\n"},
		{"from import", "CWE-916", "from hashlib import sha3_256\ndef f(user, pwd):\n\tuser.h = sha3_256(pwd).hexdigest()\n"},
		{"request field", "CWE-916", "import hashlib\ndef f(request):\n\tp = request.form['password']\n\treturn hashlib.sha1(p.encode()).hexdigest()\n"},
		{"update", "CWE-916", "import hashlib\ndef f(password):\n\th = hashlib.sha256()\n\th.update(password)\n\treturn h.digest()\n"},
		{"function name", "CWE-916", "import hashlib\ndef hash_password(s):\n\treturn hashlib.blake2b(s).hexdigest()\n"},
		{"hashlib.new", "CWE-916", "import hashlib\ndef f(passwd):\n\treturn hashlib.new('sha256', passwd).hexdigest()\n"},
		{"few iterations", "CWE-916", "import hashlib\ndef f(pw, salt):\n\treturn hashlib.pbkdf2_hmac('sha256', pw, salt, 5000)\n"},
		{"pbkdf2", "", "import hashlib\ndef f(pw, salt):\n\treturn hashlib.pbkdf2_hmac('sha256', pw, salt, 600_000)\n"},
		{"scrypt", "", "import hashlib\ndef f(password, salt):\n\treturn hashlib.scrypt(password, salt=salt, n=16384, r=8, p=1)\n"},
		{"file checksum", "", "import hashlib\ndef f(data):\n\treturn hashlib.sha256(data).hexdigest()\n"},
		{"password length word", "", "import hashlib\ndef f(password_length, data):\n\treturn hashlib.sha256(data).hexdigest()\n"},
	})
}

func TestRuleJWT(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{"verify_signature", "CWE-347", "import jwt\ndef f(t):\n\treturn jwt.decode(t, options={'verify_signature': False})\n"},
		{"options variable", "CWE-347", "import jwt\nO = {'verify_signature': False}\ndef f(t):\n\treturn jwt.decode(t, options=O)\n"},
		{"none algorithm", "CWE-347", "import jwt\ndef f(t, k):\n\treturn jwt.decode(t, k, ['none'])\n"},
		{"verify false", "CWE-347", "import jwt\ndef f(t):\n\treturn jwt.decode(t, verify=False)\n"},
		{"verified", "", "import jwt\ndef f(t, k):\n\treturn jwt.decode(t, k, algorithms=['HS256'])\n"},
		{"base64 decode", "", "import base64\ndef f(t):\n\treturn base64.b64decode(t)\n"},
	})
}

// TestGuardAdequacy checks that path checks count only when correct and
// on the path to the sink.
func TestGuardAdequacy(t *testing.T) {
	const head = "import os\nB = '/srv/d'\ndef f(name):\n\tp = os.path.realpath(os.path.join(B, name))\n"
	runRuleCases(t, []ruleCase{
		{"separator-aware", "", head + "\tif not p.startswith(B + os.sep):\n\t\traise ValueError()\n\treturn open(p).read()\n"},
		{"literal slash", "", head + "\tif not p.startswith('/srv/d/'):\n\t\traise ValueError()\n\treturn open(p).read()\n"},
		{"join empty", "", head + "\tif not p.startswith(os.path.join(B, '')):\n\t\treturn None\n\treturn open(p).read()\n"},
		{"positive guard", "", head + "\tif p.startswith(B + os.sep):\n\t\treturn open(p).read()\n"},
		{"assert", "", head + "\tassert p.startswith(B + '/'), 'bad'\n\treturn open(p).read()\n"},
		{"commonpath", "", head + "\tif os.path.commonpath([B, p]) == B:\n\t\treturn open(p).read()\n"},
		{"bare prefix", "CWE-22", head + "\tif not p.startswith(B):\n\t\traise ValueError()\n\treturn open(p).read()\n"},
		{"commonprefix", "CWE-22", head + "\tif os.path.commonprefix([B, p]) != B:\n\t\traise ValueError()\n\treturn open(p).read()\n"},
		{"check after", "CWE-22", head + "\tdata = open(p).read()\n\tif not p.startswith(B + os.sep):\n\t\traise ValueError()\n\treturn data\n"},
		{"check does not leave", "CWE-22", head + "\tif not p.startswith(B + os.sep):\n\t\tprint('odd')\n\treturn open(p).read()\n"},
		{"unnormalised", "CWE-22", "import os\nB = '/srv/d/'\ndef f(name):\n\tp = os.path.join(B, name)\n\tif not p.startswith(B):\n\t\traise ValueError()\n\treturn open(p).read()\n"},
		{"dotdot alone", "CWE-22", "import os\ndef f(name):\n\tif '..' in name:\n\t\traise ValueError()\n\treturn open(os.path.join('/srv', name)).read()\n"},
		{"dotdot and isabs", "", "import os\ndef f(name):\n\tif '..' in name or os.path.isabs(name):\n\t\traise ValueError()\n\treturn open(os.path.join('/srv', name)).read()\n"},
	})
}

// TestConstantFolding checks that values picked from constants are not
// treated as data.
func TestConstantFolding(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{"dict get", "", "import subprocess\nC = {'a': 'uptime'}\ndef f(k):\n\tsubprocess.run(C.get(k, 'true'), shell=True)\n"},
		{"dict subscript", "", "C = {'a': 'name'}\ndef f(cur, k):\n\tcur.execute('SELECT * FROM t ORDER BY ' + C[k])\n"},
		{"compiled constant", "", "import re\nP = re.compile('^a+$')\ndef f():\n\treturn eval(P.pattern)\n"},
		{"dict get of data", "CWE-78", "import os\ndef f(d, k):\n\tos.system(d.get(k))\n"},
		{"conditional constant keeps data", "CWE-89", "def f(cur, n):\n\tq = 'SELECT ' + n\n\tif not n:\n\t\tq = 'SELECT 1'\n\tcur.execute(q)\n"},
	})
}
