from github import Auth, Github

g = Github(auth=Auth.Token("token"))


async def file_issue(title):
    repo = g.get_repo("octo/hello")
    return repo.create_issue(title=title)  # expect: block


async def token():
    return Auth.Token("token")  # expect: ok
