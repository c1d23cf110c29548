"""``/api/v1/models``: the matching model's versions, for program staff."""

from __future__ import annotations

import marshmallow as ma
from flask import url_for
from flask.views import MethodView
from flask_login import current_user, login_required

from webapp import policy
from webapp.api.base import Blueprint, ErrorSchema
from webapp.api.jobs import JobSchema
from webapp.api.jobs import present as present_job
from webapp.schemas.base import Schema
from webapp.services import background, model_training

blp = Blueprint("models", __name__, url_prefix="/api/v1/models",
                description="Versions of the matching model (coordinators and admins)")


STAFF_ONLY = (policy.may_manage_models, "staff_only_models")


class ModelVersionSchema(Schema):
    version = ma.fields.String()
    created_at = ma.fields.AwareDateTime()
    n_profiles = ma.fields.Integer()
    n_outcomes = ma.fields.Integer(metadata={
        "description": "Labelled examples used: introductions with an outcome, hidden matches"})
    weights = ma.fields.Dict(metadata={"description": "direction -> factor -> weight"})
    metrics = ma.fields.Dict(metadata={"description": "Held-out comparison per direction"})
    promoted = ma.fields.Boolean(metadata={"description": "Learned weights beat the active"})
    active = ma.fields.Boolean()


class ModelVersionListSchema(Schema):
    items = ma.fields.List(ma.fields.Nested(ModelVersionSchema))


def present(row) -> dict:
    """Return a version's public values."""
    return {name: getattr(row, name) for name in ModelVersionSchema._declared_fields}


@blp.route("")
class Versions(MethodView):
    decorators = [login_required]

    @blp.response(200, ModelVersionListSchema)
    @blp.requires(*STAFF_ONLY)
    def get(self):
        """List the model versions, newest first."""
        return {"items": [present(row) for row in model_training.list_versions()]}


@blp.route("/train")
class Train(MethodView):
    decorators = [login_required]

    @blp.response(202, JobSchema, description="Training started as a job: poll its Location")
    @blp.requires(*STAFF_ONLY)
    def post(self):
        """Start training a new model (its promotion gate decides what serves) as a job."""
        job = background.start_job(current_user, "train-model")
        return present_job(job), 202, {"Location": url_for("jobs.Job", job_id=job.id)}


@blp.route("/<string:version>/activate")
class Activate(MethodView):
    decorators = [login_required]

    @blp.response(200, ModelVersionSchema)
    @blp.alt_response(404, schema=ErrorSchema, description="No such version")
    @blp.alt_response(409, schema=ErrorSchema, description="Stored in a format no longer read")
    @blp.requires(*STAFF_ONLY)
    def post(self, version):
        """Make a stored version the active one (roll back or forward)."""
        return present(model_training.activate_version(current_user, version))
