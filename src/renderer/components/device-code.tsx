/** The code a device sign-in asks to approve, with the page to approve it on should the browser not have opened it. */
export function DeviceCode(props: { userCode: string; verificationUri: string }) {
  return (
    <>
      <p className="user-code" aria-label="Sign-in code">
        {props.userCode}
      </p>
      <p>
        If no page opened, go to{' '}
        <a href={props.verificationUri} target="_blank" rel="noreferrer">
          {props.verificationUri}
        </a>
        .
      </p>
    </>
  );
}
