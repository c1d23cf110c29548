"""Message templates: ``TEMPLATES[name][locale] = (subject, body)``, filled with ``str.format``
(the introduction workflow's, and the account's: ``welcome``, ``signup_attempt``).

Parameters: ``requester`` and ``target`` (profile display names), ``message`` (the request's
note), ``reason`` (a decline reason's label), ``note`` (the decline text, may be empty),
``expires_on`` (ISO date), ``days``, ``url`` (the introduction in the API).
Messages carry no contact details: the recipient opens the introduction to see them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from matcher.taxonomy import LOCALES

REASON_LABELS: Mapping[str, Mapping[str, str]] = {
    "no_capacity": {"en": "no capacity for new introductions right now",
                    "es": "sin cupo para nuevas presentaciones por ahora",
                    "fr": "plus de disponibilité pour de nouvelles mises en relation"},
    "not_my_expertise": {"en": "outside their expertise",
                         "es": "fuera de su área de experiencia",
                         "fr": "hors de son domaine d'expertise"},
    "language": {"en": "no shared working language",
                 "es": "no comparten un idioma de trabajo",
                 "fr": "pas de langue de travail commune"},
    "not_a_fit": {"en": "not a good fit", "es": "no es una buena combinación",
                  "fr": "pas une bonne correspondance"},
    "timing": {"en": "not the right time", "es": "no es el momento adecuado",
               "fr": "pas le bon moment"},
    "other": {"en": "another reason", "es": "otro motivo", "fr": "une autre raison"},
}

TEMPLATES: Mapping[str, Mapping[str, tuple[str, str]]] = {
    "requested": {
        "en": ("{requester} would like an introduction",
               "{requester} asks to be introduced to {target} on Puente.\n\n"
               "Their message:\n{message}\n\n"
               "Please accept or decline by {expires_on}; after that the request expires.\n"
               "{url}\n"),
        "es": ("{requester} solicita una presentación",
               "{requester} solicita que le presenten a {target} en Puente.\n\n"
               "Su mensaje:\n{message}\n\n"
               "Acepte o rechace la solicitud antes del {expires_on}; después vencerá.\n"
               "{url}\n"),
        "fr": ("{requester} souhaite une mise en relation",
               "{requester} demande à être mis en relation avec {target} sur Puente.\n\n"
               "Son message :\n{message}\n\n"
               "Veuillez accepter ou refuser avant le {expires_on} ; ensuite, la demande "
               "expire.\n{url}\n"),
    },
    "reminder": {
        "en": ("Reminder: {requester} is waiting for your answer",
               "{requester} asked to be introduced to {target} {days} days ago and is "
               "still waiting for an answer. The request expires on {expires_on}.\n{url}\n"),
        "es": ("Recordatorio: {requester} espera su respuesta",
               "Hace {days} días {requester} solicitó que le presenten a {target} y aún "
               "espera una respuesta. La solicitud vence el {expires_on}.\n{url}\n"),
        "fr": ("Rappel : {requester} attend votre réponse",
               "Il y a {days} jours, {requester} a demandé à être mis en relation avec "
               "{target} et attend toujours une réponse. La demande expire le "
               "{expires_on}.\n{url}\n"),
    },
    "accepted": {
        "en": ("{target} accepted your introduction",
               "Good news: {target} accepted your request. You can now see each other's "
               "contact details in the introduction.\n{url}\n"),
        "es": ("{target} aceptó su solicitud de presentación",
               "Buenas noticias: {target} aceptó su solicitud. Ya pueden ver los datos de "
               "contacto del otro en la presentación.\n{url}\n"),
        "fr": ("{target} a accepté votre demande de mise en relation",
               "Bonne nouvelle : {target} a accepté votre demande. Vous pouvez maintenant "
               "voir vos coordonnées respectives dans la mise en relation.\n{url}\n"),
    },
    "declined": {
        "en": ("{target} declined your introduction",
               "{target} declined your request: {reason}.\n{note}\n"
               "Other matches may suit you better; see your matches on Puente.\n{url}\n"),
        "es": ("{target} rechazó su solicitud de presentación",
               "{target} rechazó su solicitud: {reason}.\n{note}\n"
               "Otras coincidencias pueden convenirle más; consulte sus coincidencias en "
               "Puente.\n{url}\n"),
        "fr": ("{target} a refusé votre demande de mise en relation",
               "{target} a refusé votre demande : {reason}.\n{note}\n"
               "D'autres correspondances vous conviendront peut-être mieux ; consultez-les "
               "sur Puente.\n{url}\n"),
    },
    "withdrawn": {
        "en": ("{requester} withdrew their request",
               "{requester} withdrew their request to be introduced to {target}. "
               "Nothing more is needed from you.\n{url}\n"),
        "es": ("{requester} retiró su solicitud",
               "{requester} retiró su solicitud de presentación con {target}. "
               "No necesita hacer nada más.\n{url}\n"),
        "fr": ("{requester} a retiré sa demande",
               "{requester} a retiré sa demande de mise en relation avec {target}. "
               "Vous n'avez rien d'autre à faire.\n{url}\n"),
    },
    "completed": {
        "en": ("Introduction completed: {requester} and {target}",
               "The introduction between {requester} and {target} was marked completed. "
               "Please tell us how it went (a rating from 1 to 5).\n{url}\n"),
        "es": ("Presentación concluida: {requester} y {target}",
               "La presentación entre {requester} y {target} se marcó como concluida. "
               "Cuéntenos cómo le fue (una calificación de 1 a 5).\n{url}\n"),
        "fr": ("Mise en relation terminée : {requester} et {target}",
               "La mise en relation entre {requester} et {target} a été marquée comme "
               "terminée. Dites-nous comment elle s'est passée (une note de 1 à 5).\n{url}\n"),
    },
    "expired_requester": {
        "en": ("Your request to {target} expired",
               "{target} did not answer your request within {days} days, so it expired. "
               "You can ask someone else from your matches.\n{url}\n"),
        "es": ("Su solicitud a {target} venció",
               "{target} no respondió a su solicitud en {days} días, por lo que venció. "
               "Puede contactar a otra de sus coincidencias.\n{url}\n"),
        "fr": ("Votre demande à {target} a expiré",
               "{target} n'a pas répondu à votre demande dans les {days} jours ; elle a "
               "expiré. Vous pouvez solliciter une autre de vos correspondances.\n{url}\n"),
    },
    "expired_target": {
        "en": ("The request from {requester} expired",
               "The request from {requester} went unanswered for {days} days and expired. "
               "Answering requests promptly keeps your response rate high.\n{url}\n"),
        "es": ("La solicitud de {requester} venció",
               "La solicitud de {requester} quedó sin respuesta durante {days} días y "
               "venció. Responder a tiempo mantiene alta su tasa de respuesta.\n{url}\n"),
        "fr": ("La demande de {requester} a expiré",
               "La demande de {requester} est restée sans réponse pendant {days} jours et a "
               "expiré. Répondre rapidement maintient votre taux de réponse élevé.\n{url}\n"),
    },
    "welcome": {
        "en": ("Welcome to Puente",
               "Your Puente account is ready. Log in with this address and the password you "
               "chose, then tell us about yourself so that we can suggest matches.\n{url}\n"),
        "es": ("Bienvenido a Puente",
               "Su cuenta de Puente está lista. Inicie sesión con esta dirección y la "
               "contraseña que eligió, y cuéntenos sobre usted para que podamos sugerirle "
               "coincidencias.\n{url}\n"),
        "fr": ("Bienvenue sur Puente",
               "Votre compte Puente est prêt. Connectez-vous avec cette adresse et le mot de "
               "passe choisi, puis présentez-vous pour que nous puissions vous suggérer des "
               "correspondances.\n{url}\n"),
    },
    "signup_attempt": {
        "en": ("Someone tried to sign up with your address",
               "Someone tried to open a Puente account with this e-mail address, which "
               "already has one. No account was opened and yours is unchanged. If it was you, "
               "log in; if you forgot your password, ask a program coordinator.\n{url}\n"),
        "es": ("Alguien intentó registrarse con su dirección",
               "Alguien intentó abrir una cuenta de Puente con esta dirección de correo, que "
               "ya tiene una. No se abrió ninguna cuenta y la suya no cambió. Si fue usted, "
               "inicie sesión; si olvidó su contraseña, consulte a un coordinador del "
               "programa.\n{url}\n"),
        "fr": ("Quelqu'un a tenté de s'inscrire avec votre adresse",
               "Quelqu'un a tenté d'ouvrir un compte Puente avec cette adresse courriel, qui "
               "en a déjà un. Aucun compte n'a été ouvert et le vôtre est inchangé. Si c'était "
               "vous, connectez-vous ; si vous avez oublié votre mot de passe, adressez-vous à "
               "un coordinateur du programme.\n{url}\n"),
    },
}


def render(name: str, locale: str, params: Mapping[str, Any]) -> tuple[str, str, str]:
    """Return ``(locale, subject, body)`` of a message, in English when the locale is unknown."""
    locale = (locale or "en").replace("_", "-").split("-")[0].lower()
    if locale not in LOCALES:
        locale = "en"
    values = dict(params)
    if "reason_code" in values:
        values["reason"] = REASON_LABELS[values["reason_code"]][locale]
    subject, body = TEMPLATES[name][locale]
    subject = " ".join(subject.format(**values).split())  # a name cannot break the header
    return locale, subject[:200], body.format(**values)
