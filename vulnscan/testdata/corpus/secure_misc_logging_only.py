# label: secure
# round: 3
import logging

log = logging.getLogger(__name__)


def audit(request):
    log.info("user %s visited %s", request.user, request.path)
