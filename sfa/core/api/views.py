from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from sfa.core.access import roles_of


class TokenThrottle(AnonRateThrottle):
    rate = "30/minute"


class TokenView(ObtainAuthToken):
    """``{"username", "password"}`` → ``{"token"}``; send it as ``Authorization: Token <token>``."""

    throttle_classes = [TokenThrottle]


class MeView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses=inline_serializer(
            "Me",
            {
                "id": serializers.IntegerField(),
                "username": serializers.CharField(),
                "name": serializers.CharField(),
                "email": serializers.EmailField(),
                "branch": serializers.IntegerField(allow_null=True),
                "roles": serializers.ListField(child=serializers.CharField()),
            },
        )
    )
    def get(self, request):
        """Who am I: the authenticated user and their roles."""
        user = request.user
        return Response(
            {
                "id": user.pk,
                "username": user.username,
                "name": str(user),
                "email": user.email,
                "branch": user.branch_id,
                "roles": sorted(roles_of(user)),
            }
        )
